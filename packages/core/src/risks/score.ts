import { operators } from '../policies/operators/index.js';
import type { Checks, RiskContribution, RiskExplanation, Severity } from '../types.js';
import type { RiskCondition, RiskTable } from './types.js';

/** Whether a rule's check holds: present, and `true` or meeting its `when`. */
export function conditionHolds(condition: RiskCondition, checks: Checks): boolean {
  const actual = checks[condition.check];
  if (actual === undefined) return false;
  if (!condition.when) return actual === true;
  return operators[condition.when.operator].test(actual, condition.when.value);
}

function severityOf(score: number, t: RiskTable['thresholds']): Severity {
  if (score >= t.maximum) return 'maximum';
  if (score >= t.high) return 'high';
  if (score >= t.medium) return 'medium';
  return 'low';
}

/** One risk's score (the sum of what held, 0–100), its severity and what made it. */
export function scoreRisk(table: RiskTable, checks: Checks): RiskExplanation {
  const contributions: RiskContribution[] = [];
  for (const rule of table.rules) if (conditionHolds(rule, checks)) contributions.push({ check: rule.check, weight: rule.weight });
  for (const combination of table.combinations) {
    if (combination.rules.every((r) => conditionHolds(r, checks))) contributions.push({ check: combination.rules.map((r) => r.check).join('+'), weight: combination.weight });
  }
  const sum = contributions.reduce((total, c) => total + c.weight, 0);
  const score = Math.round(Math.min(100, Math.max(0, sum)));
  return { category: table.category, score, severity: severityOf(score, table.thresholds), contributions };
}

/** Every risk, in table order, including those at 0, so operators always see all of them. */
export function scoreRisks(checks: Checks, tables: readonly RiskTable[]): RiskExplanation[] {
  return tables.map((t) => scoreRisk(t, checks));
}
