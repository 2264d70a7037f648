import type { CheckValue } from '../../types.js';

/** What a field holds, for choosing operators: severities compare in order, not alphabetically. */
export type FieldType = 'boolean' | 'number' | 'string' | 'severity';

export interface OperatorDefinition {
  name: string;
  /** The field types it makes sense for. */
  accepts: readonly FieldType[];
  /** What its `value` must be: one value, a non-empty array, or none at all. */
  value: 'one' | 'array' | 'none';
  /**
   * Whether the condition holds. `actual` is undefined when the field is absent; severities arrive as
   * ranks (low 0 … maximum 3) so that order comparisons work.
   */
  test(actual: CheckValue | undefined, expected: CheckValue | CheckValue[] | null | undefined): boolean;
}

export const ordered = ['number', 'severity'] as const;
export const everyType = ['boolean', 'number', 'string', 'severity'] as const;
