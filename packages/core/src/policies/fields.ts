import { SEVERITIES } from '../closed-sets.js';
import type { CheckValue, Checks, ConditionLeaf, Condition, EventCountParams, Policy, Severity } from '../types.js';

/** Everything a condition can read, as plain data. */
export interface FieldSource {
  checks: Checks;
  risks: Record<string, Severity>;
  metadata: Record<string, string | number | boolean | null>;
  action: string;
  lists: Record<string, boolean>;
  eventCounts: Record<string, number>;
}

export const severities: readonly Severity[] = SEVERITIES;
export function severityRank(s: unknown): number | undefined {
  const rank = severities.indexOf(s as Severity);
  return rank >= 0 ? rank : undefined;
}

export const RISK_PREFIX = 'risk:';
export const METADATA_PREFIX = 'metadata.';
export const LIST_PREFIX = 'in_list:';

/** The key under which the store puts the count for these params: `event_count:login:10m:ip`. */
export function eventCountKey(params: EventCountParams): string {
  return `event_count:${params.action}:${params.window}:${params.by}`;
}

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MAX_WINDOW_MS = 90 * UNIT_MS.d;

/** `30s`, `10m`, `1h`, `7d` in ms; null for anything else, zero, or more than 90 days. */
export function parseWindow(window: unknown): number | null {
  if (typeof window !== 'string') return null;
  const match = /^([1-9][0-9]{0,6})([smhd])$/.exec(window);
  if (!match) return null;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms <= MAX_WINDOW_MS ? ms : null;
}

function walk(condition: Condition, visit: (leaf: ConditionLeaf) => void): void {
  if ('all' in condition) for (const c of condition.all) walk(c, visit);
  else if ('any' in condition) for (const c of condition.any) walk(c, visit);
  else if ('not' in condition) walk(condition.not, visit);
  else visit(condition);
}

/** The distinct `event_count` parameters enabled policies use: the only counts worth loading. */
export function eventCountParamsOf(policies: readonly Policy[]): EventCountParams[] {
  const found = new Map<string, EventCountParams>();
  for (const policy of policies) {
    if (!policy.enabled) continue;
    walk(policy.conditions, (leaf) => {
      if (leaf.field === 'event_count' && leaf.params) found.set(eventCountKey(leaf.params), leaf.params);
    });
  }
  return [...found.values()];
}

/** A field's value for this evaluation; undefined when absent (then only `not_exists` holds). */
export function resolveField(leaf: ConditionLeaf, source: FieldSource): CheckValue | undefined {
  const { field } = leaf;
  if (field === 'action') return source.action;
  if (field === 'event_count') return leaf.params ? source.eventCounts[eventCountKey(leaf.params)] : undefined;
  if (field.startsWith(RISK_PREFIX)) return source.risks[field.slice(RISK_PREFIX.length)];
  if (field.startsWith(METADATA_PREFIX)) {
    const value = source.metadata[field.slice(METADATA_PREFIX.length)];
    return value === null ? undefined : value;
  }
  if (field.startsWith(LIST_PREFIX)) return source.lists[field.slice(LIST_PREFIX.length)];
  return source.checks[field];
}
