import type { RiskCombination, RiskCondition, RiskRule, RiskTable, RiskThresholds } from './types.js';

/** Per category: the parts of a built-in risk to replace, or the whole of a custom one. */
export type RiskOverrides = Record<
  string,
  { rules?: RiskRule[]; combinations?: RiskCombination[]; thresholds?: Partial<RiskThresholds>; description?: string; observedOnly?: boolean }
>;

export interface RiskProblem {
  path: string;
  message: string;
}

const CATEGORY = /^[a-z][a-z0-9_]{0,63}$/;
const WHEN_OPERATORS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in'];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_CHECK_LENGTH = 128;
const MAX_VALUE_LENGTH = 1024;
const isBoundedScalar = (v: unknown) => typeof v === 'boolean' || (typeof v === 'string' && v.length <= MAX_VALUE_LENGTH) || (typeof v === 'number' && Number.isFinite(v));

function checkCondition(c: unknown, path: string, withWeight: boolean, isKnownCheck: (name: string) => boolean, problems: RiskProblem[]): void {
  if (!isObject(c)) {
    problems.push({ path, message: 'must be { check, weight, when? }' });
    return;
  }
  // Bounded before any lookup, and never echoed whole: a problem must not repeat a 60,000-character name back.
  if (typeof c.check === 'string' && c.check.length > MAX_CHECK_LENGTH) problems.push({ path: `${path}.check`, message: `a check name is at most ${MAX_CHECK_LENGTH} characters` });
  else if (typeof c.check !== 'string' || !isKnownCheck(c.check)) problems.push({ path: `${path}.check`, message: `unknown check ${JSON.stringify(c.check)?.slice(0, 80)}` });
  if (withWeight && !(typeof c.weight === 'number' && Number.isFinite(c.weight) && c.weight >= -100 && c.weight <= 100)) {
    problems.push({ path: `${path}.weight`, message: 'weight is a number from -100 to 100' });
  }
  if (c.when !== undefined) {
    const when = c.when;
    if (!isObject(when) || !WHEN_OPERATORS.includes(when.operator as string))
      problems.push({ path: `${path}.when.operator`, message: `operator is one of ${WHEN_OPERATORS.join(', ')}` });
    else if (
      when.operator === 'in' ? !(Array.isArray(when.value) && when.value.length > 0 && when.value.length <= 500 && when.value.every(isBoundedScalar)) : !isBoundedScalar(when.value)
    ) {
      problems.push({
        path: `${path}.when.value`,
        message:
          when.operator === 'in'
            ? `in needs a list of 1 to 500 values, strings of at most ${MAX_VALUE_LENGTH} characters`
            : `value is a number, boolean or string of at most ${MAX_VALUE_LENGTH} characters`,
      });
    }
  }
}

/**
 * Checks a project's risk overrides before they are saved. Built-in risks may replace any part; a new
 * name is a custom risk and needs rules and all three thresholds. Thresholds, once merged with the
 * built-in ones, must increase (medium < high < maximum) within 1–100.
 */
export function validateRiskOverrides(
  input: unknown,
  isKnownCheck: (name: string) => boolean,
  builtIn: readonly RiskTable[],
): { ok: true; overrides: RiskOverrides } | { ok: false; errors: RiskProblem[] } {
  const problems: RiskProblem[] = [];
  if (!isObject(input)) return { ok: false, errors: [{ path: '', message: 'overrides are an object keyed by risk category' }] };
  const categories = Object.entries(input);
  if (categories.length > 50) problems.push({ path: '', message: 'at most 50 risks' });
  for (const [category, override] of categories) {
    const base = builtIn.find((t) => t.category === category);
    if (!CATEGORY.test(category)) problems.push({ path: category, message: 'a risk name is lower case letters, digits and _' });
    if (!isObject(override)) {
      problems.push({ path: category, message: 'must be { rules?, combinations?, thresholds?, description?, observedOnly? }' });
      continue;
    }
    for (const key of Object.keys(override)) {
      if (!['rules', 'combinations', 'thresholds', 'description', 'observedOnly'].includes(key)) problems.push({ path: `${category}.${key}`, message: 'is not part of a risk' });
    }
    if (override.rules !== undefined) {
      if (!Array.isArray(override.rules) || override.rules.length > 100) problems.push({ path: `${category}.rules`, message: 'rules is a list of at most 100' });
      else for (const [i, r] of override.rules.entries()) checkCondition(r, `${category}.rules[${i}]`, true, isKnownCheck, problems);
    }
    if (override.combinations !== undefined) {
      if (!Array.isArray(override.combinations) || override.combinations.length > 50)
        problems.push({ path: `${category}.combinations`, message: 'combinations is a list of at most 50' });
      else {
        for (const [i, c] of (override.combinations as unknown[]).entries()) {
          const path = `${category}.combinations[${i}]`;
          if (!isObject(c) || !Array.isArray(c.rules) || c.rules.length < 2) {
            problems.push({ path, message: 'a combination is { rules: [two or more], weight }' });
            continue;
          }
          for (const [j, r] of (c.rules as RiskCondition[]).entries()) checkCondition(r, `${path}.rules[${j}]`, false, isKnownCheck, problems);
          if (!(typeof c.weight === 'number' && Number.isFinite(c.weight) && Math.abs(c.weight) <= 100))
            problems.push({ path: `${path}.weight`, message: 'weight is a number from -100 to 100' });
        }
      }
    }
    if (override.description !== undefined && (typeof override.description !== 'string' || override.description.length > 500)) {
      problems.push({ path: `${category}.description`, message: 'a description of at most 500 characters' });
    }
    if (override.observedOnly !== undefined && typeof override.observedOnly !== 'boolean') problems.push({ path: `${category}.observedOnly`, message: 'true or false' });
    const given = isObject(override.thresholds) ? override.thresholds : override.thresholds === undefined ? {} : null;
    if (given === null) {
      problems.push({ path: `${category}.thresholds`, message: 'thresholds are { medium, high, maximum }' });
      continue;
    }
    if (!base && (override.rules === undefined || ['medium', 'high', 'maximum'].some((k) => given[k] === undefined))) {
      problems.push({ path: category, message: `${category} is not a built-in risk: a custom risk needs rules and thresholds { medium, high, maximum }` });
      continue;
    }
    const merged = { ...base?.thresholds, ...given } as Record<string, unknown>;
    const values = [merged.medium, merged.high, merged.maximum];
    if (!values.every((v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 100) || !(values[0]! < values[1]! && values[1]! < values[2]!)) {
      problems.push({ path: `${category}.thresholds`, message: `thresholds must be integers from 1 to 100 with medium < high < maximum (got ${values.join(', ')})` });
    }
  }
  return problems.length > 0 ? { ok: false, errors: problems } : { ok: true, overrides: input as RiskOverrides };
}

/** The tables in force: built-ins with their overrides, then custom risks. Overrides were validated when saved. */
export function applyRiskOverrides(tables: readonly RiskTable[], overrides: RiskOverrides): RiskTable[] {
  const result = tables.map((t) => {
    const o = overrides[t.category];
    if (!o) return t;
    return {
      ...t,
      rules: o.rules ?? t.rules,
      combinations: o.combinations ?? t.combinations,
      thresholds: { ...t.thresholds, ...o.thresholds },
      description: o.description ?? t.description,
      observedOnly: o.observedOnly ?? t.observedOnly,
    };
  });
  for (const [category, o] of Object.entries(overrides)) {
    if (tables.some((t) => t.category === category) || !o.rules || !o.thresholds) continue;
    result.push({
      category,
      observedOnly: o.observedOnly ?? false,
      description: o.description ?? '',
      rules: o.rules,
      combinations: o.combinations ?? [],
      thresholds: o.thresholds as RiskThresholds,
    });
  }
  return result;
}
