import type { CheckValue, Condition, ConditionLeaf } from '../types.js';
import { eventCountKey, type FieldSource, LIST_PREFIX, METADATA_PREFIX, RISK_PREFIX, severityRank } from './fields.js';
import { operators } from './operators/index.js';

export type CompiledCondition = (source: FieldSource) => boolean;

/** A leaf's field reader, chosen once instead of by prefix tests on every evaluation. */
function reader(leaf: ConditionLeaf): (s: FieldSource) => CheckValue | undefined {
  const { field } = leaf;
  if (field === 'action') return (s) => s.action;
  if (field === 'event_count') {
    const key = leaf.params ? eventCountKey(leaf.params) : '';
    return (s) => s.eventCounts[key];
  }
  if (field.startsWith(RISK_PREFIX)) {
    const category = field.slice(RISK_PREFIX.length);
    // Severities are compared by rank.
    return (s) => severityRank(s.risks[category]);
  }
  if (field.startsWith(METADATA_PREFIX)) {
    const key = field.slice(METADATA_PREFIX.length);
    return (s) => s.metadata[key] ?? undefined;
  }
  if (field.startsWith(LIST_PREFIX)) {
    const list = field.slice(LIST_PREFIX.length);
    return (s) => s.lists[list];
  }
  return (s) => s.checks[field];
}

function compileLeaf(leaf: ConditionLeaf): CompiledCondition {
  const read = reader(leaf);
  const { test } = operators[leaf.operator];
  const expected = leaf.field.startsWith(RISK_PREFIX) ? (Array.isArray(leaf.value) ? leaf.value.map((v) => severityRank(v) ?? -1) : (severityRank(leaf.value) ?? -1)) : leaf.value;
  return (s) => test(read(s), expected);
}

function compileTree(condition: Condition): CompiledCondition {
  if ('all' in condition) {
    const children = condition.all.map(compileTree);
    return (s) => children.every((c) => c(s));
  }
  if ('any' in condition) {
    const children = condition.any.map(compileTree);
    return (s) => children.some((c) => c(s));
  }
  if ('not' in condition) {
    const inner = compileTree(condition.not);
    return (s) => !inner(s);
  }
  return compileLeaf(condition);
}

// Conditions are plain data that never change once loaded: each is compiled once, on first use.
const compiled = new WeakMap<Condition, CompiledCondition>();

/** A closure that answers whether the condition holds: the same semantics as evaluateCondition. */
export function compileCondition(condition: Condition): CompiledCondition {
  let fn = compiled.get(condition);
  if (!fn) {
    fn = compileTree(condition);
    compiled.set(condition, fn);
  }
  return fn;
}
