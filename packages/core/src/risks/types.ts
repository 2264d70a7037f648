import type { CheckValue } from '../types.js';

/** When a rule's check counts (default: it is `true`). The operators are the policy language's own. */
export interface RiskWhen {
  operator: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'in';
  value: CheckValue | CheckValue[];
}

/** A check that holds: it is present and `when` is true of it. */
export interface RiskCondition {
  check: string;
  when?: RiskWhen;
}

/** A check that adds its weight to a risk when it holds. Absent checks add nothing. */
export interface RiskRule extends RiskCondition {
  weight: number;
}

/** Checks that weigh more together than apart: the weight is added only when every one holds. */
export interface RiskCombination {
  rules: RiskCondition[];
  weight: number;
}

export interface RiskThresholds {
  /** Score at and above which the risk is medium (below: low). */
  medium: number;
  high: number;
  maximum: number;
}

/** One risk as data: what predicts it and how much (SPEC §5). Scores are clamped to 0–100. */
export interface RiskTable {
  category: string;
  /** Recorded, shown and matchable, but never weighed into the acted-on risks (SPEC §5). */
  observedOnly: boolean;
  description: string;
  rules: RiskRule[];
  combinations: RiskCombination[];
  thresholds: RiskThresholds;
}

export const standardThresholds: RiskThresholds = { medium: 25, high: 50, maximum: 80 };
