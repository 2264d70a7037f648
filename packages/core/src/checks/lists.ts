import type { Checks, EvaluationInput, Facts, HistorySnapshot } from '../types.js';

export const IN_LIST_PREFIX = 'in_list:';

/**
 * `in_list:<name>` for each of the project's lists whose type matches a value of the evaluation: the store
 * looked the values up (`history.lists`). A list absent there had nothing to compare, so its check is absent.
 */
export function lists(_input: EvaluationInput, _facts: Facts, history: HistorySnapshot): Checks {
  const checks: Checks = {};
  for (const list of history.lists) {
    const name = `${IN_LIST_PREFIX}${list.name}`;
    // One entry per list is expected; should a name come twice, any match counts.
    checks[name] = checks[name] === true || list.matched;
  }
  return checks;
}
