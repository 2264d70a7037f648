import type { Kysely } from 'kysely';

// `concurrent_sessions` became Rupt's flag (live in two places at once) and the count moved to
// `concurrent_session_count`. A stored policy or risk override that compares it as a number (`gte 2`,
// `in [1, 2]`, `eq 1`) meant the count, so it is moved to the count's name: it decides exactly as before.
// Conditions that only ask whether it exists mean the same under either name and stay.

const FLAG = 'concurrent_sessions';
const COUNT = 'concurrent_session_count';
const NUMERIC = new Set(['gt', 'gte', 'lt', 'lte', 'in', 'not_in']);

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const comparesAsNumber = (operator: Json, value: Json) =>
  (typeof operator === 'string' && NUMERIC.has(operator)) || ((operator === 'eq' || operator === 'neq') && typeof value === 'number');

/** A condition tree with every numeric comparison of the flag moved to the count. */
export function renameInConditions(node: Json): Json {
  if (Array.isArray(node)) return node.map(renameInConditions);
  if (!isObject(node)) return node;
  if (node.field === FLAG && comparesAsNumber(node.operator, node.value)) return { ...node, field: COUNT };
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === 'all' || k === 'any' || k === 'not' ? renameInConditions(v) : v]));
}

/** Risk overrides (`{ <risk>: { rules, combinations: [{ rules }] } }`) with numeric rules on the flag moved. */
export function renameInRiskOverrides(overrides: Json): Json {
  if (!isObject(overrides)) return overrides;
  const rule = (r: Json): Json => (isObject(r) && r.check === FLAG && isObject(r.when) && comparesAsNumber(r.when.operator, r.when.value) ? { ...r, check: COUNT } : r);
  const rules = (rs: Json) => (Array.isArray(rs) ? rs.map(rule) : rs);
  return Object.fromEntries(
    Object.entries(overrides).map(([risk, o]) => {
      if (!isObject(o)) return [risk, o];
      const combinations = Array.isArray(o.combinations) ? o.combinations.map((c) => (isObject(c) ? { ...c, rules: rules(c.rules) } : c)) : o.combinations;
      return [risk, { ...o, ...(o.rules === undefined ? {} : { rules: rules(o.rules) }), ...(o.combinations === undefined ? {} : { combinations }) }];
    }),
  );
}

/** Rewrites one JSON column row by row where the text mentions the flag at all (most rows do not). */
async function rewrite(db: Kysely<any>, table: string, keys: string[], column: string, change: (value: Json) => Json) {
  const rows = await db
    .selectFrom(table)
    .select([...keys, column])
    .where(column, 'like', `%${FLAG}%`)
    .execute();
  for (const row of rows) {
    const before = row[column] as string;
    const after = JSON.stringify(change(JSON.parse(before)));
    if (after === JSON.stringify(JSON.parse(before))) continue;
    let update = db.updateTable(table).set({ [column]: after });
    for (const key of keys) update = update.where(key, '=', row[key]);
    await update.execute();
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await rewrite(db, 'policies', ['id'], 'conditions', renameInConditions);
  await rewrite(db, 'policy_versions', ['policy_id', 'version'], 'body', (body) => (isObject(body) ? { ...body, conditions: renameInConditions(body.conditions) } : body));
  await rewrite(db, 'projects', ['id'], 'risk_overrides', renameInRiskOverrides);
}

export async function down(): Promise<void> {
  // The count keeps its own name going back: an older Vigil refuses it, which says what to fix.
}
