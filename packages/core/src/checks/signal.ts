import type { EvaluationInput } from '../types.js';

/**
 * A browser collector's value, when the SDK sent one. A failed probe (`{ error }`) or a missing one gives
 * undefined, and the checks that need it stay absent.
 */
export function signal<T>(input: EvaluationInput, name: string): T | undefined {
  const result = input.signals?.[name] as { value?: unknown } | undefined;
  return result && 'value' in result ? (result.value as T) : undefined;
}
