import type { Condition, ConditionLeaf, TraceNode } from '../types.js';
import { type FieldSource, RISK_PREFIX, resolveField, severityRank } from './fields.js';
import { operators } from './operators/index.js';

function leafHolds(leaf: ConditionLeaf, actual: ReturnType<typeof resolveField>): boolean {
  const operator = operators[leaf.operator];
  // Severities compare by rank (low < medium < high < maximum), never alphabetically.
  if (actual !== undefined && leaf.field.startsWith(RISK_PREFIX)) {
    const expected = Array.isArray(leaf.value) ? leaf.value.map((v) => severityRank(v) ?? -1) : (severityRank(leaf.value) ?? -1);
    return operator.test(severityRank(actual), expected);
  }
  return operator.test(actual, leaf.value);
}

function leafTrace(leaf: ConditionLeaf, source: FieldSource): TraceNode {
  const actual = resolveField(leaf, source);
  const node: TraceNode = { node: leaf.field, status: 'not_matched', operator: leaf.operator, ...(leaf.value === undefined ? {} : { expected: leaf.value }) };
  if (actual !== undefined) node.actual = actual;
  const held = leafHolds(leaf, actual);
  // "unknown": the field was absent, so the condition is false (SPEC §6) for a reason worth showing.
  node.status = held ? 'matched' : actual === undefined ? 'unknown' : 'not_matched';
  return node;
}

/** Every node of a subtree marked skipped: settled before it was reached, still shown to the operator. */
function skipped(condition: Condition): TraceNode {
  if ('all' in condition) return { node: 'all', status: 'skipped', children: condition.all.map(skipped) };
  if ('any' in condition) return { node: 'any', status: 'skipped', children: condition.any.map(skipped) };
  if ('not' in condition) return { node: 'not', status: 'skipped', children: [skipped(condition.not)] };
  return { node: condition.field, status: 'skipped', operator: condition.operator, ...(condition.value === undefined ? {} : { expected: condition.value }) };
}

const holds = (t: TraceNode) => t.status === 'matched';

function group(kind: 'all' | 'any', children: Condition[], source: FieldSource): TraceNode {
  const traces: TraceNode[] = [];
  let settled = false;
  for (const child of children) {
    if (settled) {
      traces.push(skipped(child));
      continue;
    }
    const trace = evaluateCondition(child, source);
    traces.push(trace);
    // all: the first false settles it; any: the first true.
    if (kind === 'all' ? !holds(trace) : holds(trace)) settled = true;
  }
  const held = kind === 'all' ? traces.every(holds) : traces.some(holds);
  return { node: kind, status: held ? 'matched' : 'not_matched', children: traces };
}

/**
 * Evaluates a condition tree and returns its trace: each node `matched`, `not_matched`, `unknown` (a
 * leaf whose field was absent: false) or `skipped`. `not` of an unknown leaf holds, since the leaf is
 * false; `not_exists` is the clearer way to say it and the validator allows both.
 */
export function evaluateCondition(condition: Condition, source: FieldSource): TraceNode {
  if ('all' in condition) return group('all', condition.all, source);
  if ('any' in condition) return group('any', condition.any, source);
  if ('not' in condition) {
    const inner = evaluateCondition(condition.not, source);
    return { node: 'not', status: holds(inner) ? 'not_matched' : 'matched', children: [inner] };
  }
  return leafTrace(condition, source);
}
