import { MAX_SUPPRESSION_DAYS } from '../challenges/suppression.js';
import { CHALLENGE_CHANNELS, CHALLENGE_METHODS, type ChallengeMethod, LIST_VALUE_KINDS, POLICY_ACTION_TYPES, RISK_CATEGORIES } from '../closed-sets.js';
import { checkRegistry } from '../checks/registry.js';
import type { CheckValue, Condition, EventCountParams, Policy, PolicyAction } from '../types.js';
import { LIST_PREFIX, METADATA_PREFIX, RISK_PREFIX, parseWindow, severities } from './fields.js';
import { type FieldType, isOperator, operators } from './operators/index.js';

/** What the validator needs to know of a check: the registry's entry (passed in; core's registry by default). */
export type CheckLookup = (name: string) => { name: string; type: 'boolean' | 'number' | 'string'; params?: 'event_count' } | undefined;

export interface PolicyProblem {
  path: string;
  message: string;
}

export type PolicyDraft = Omit<Policy, 'id' | 'version'>;

export const builtInRisks = RISK_CATEGORIES;

const ACTION_NAME = /^[a-z][a-z0-9_.:-]{0,63}$/;
const MAX_DEPTH = 20;
const MAX_LEAVES = 200;
/** Field names (checks, `metadata.<key>`, `in_list:<name>`, `risk:<name>`) are short; anything longer is refused before any work. */
export const MAX_FIELD_LENGTH = 128;
/** A condition's string value; a list of them (`in`) holds at most 500. */
export const MAX_VALUE_LENGTH = 1024;
const listValueKinds: readonly string[] = LIST_VALUE_KINDS;
const challengeMethods: readonly unknown[] = CHALLENGE_METHODS;
const challengeChannels: readonly unknown[] = CHALLENGE_CHANNELS;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): v is CheckValue => typeof v === 'boolean' || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
/** A value as quoted in a message: cut short, so a problem never echoes a whole request back. */
const show = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
};

/** Levenshtein distance, to suggest the check an operator probably meant. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

interface Context {
  lookup: CheckLookup;
  checkNames: readonly string[];
  knownLists: readonly string[] | undefined;
  risks: readonly string[];
  problems: PolicyProblem[];
  leaves: number;
}

/**
 * ` (did you mean "x"?)`, or nothing. Distance costs length × length per candidate: a name past
 * MAX_FIELD_LENGTH gets no suggestion (a 60,000-character field would otherwise hold the event loop).
 */
export function suggestion(name: string, candidates: readonly string[]): string {
  if (name.length > MAX_FIELD_LENGTH) return '';
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    // The distance is at least the difference in length: skip what cannot beat the best so far.
    if (Math.abs(candidate.length - name.length) >= bestDistance) continue;
    const d = distance(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best ? ` (did you mean ${show(best)}?)` : '';
}

/** The type of a condition's field, or a problem. */
function fieldType(field: string, params: unknown, path: string, ctx: Context): FieldType | 'any' | null {
  const fail = (message: string) => {
    ctx.problems.push({ path, message });
    return null;
  };
  if (field === 'action') return 'string';
  if (field.startsWith(METADATA_PREFIX)) return field.length > METADATA_PREFIX.length ? 'any' : fail('metadata. needs a key, as in metadata.plan');
  if (field.startsWith(RISK_PREFIX)) {
    const risk = field.slice(RISK_PREFIX.length);
    return ctx.risks.includes(risk) ? 'severity' : fail(`unknown risk ${show(risk)}${suggestion(risk, ctx.risks)}; risks are ${ctx.risks.join(', ')}`);
  }
  if (field.startsWith(LIST_PREFIX)) {
    const list = field.slice(LIST_PREFIX.length);
    if (list === '') return fail('in_list: needs a list name, as in in_list:blocked_ips');
    if (ctx.knownLists && !ctx.knownLists.includes(list)) return fail(`no list named ${show(list)}${suggestion(list, ctx.knownLists)}: create it first`);
    return 'boolean';
  }
  const check = ctx.lookup(field);
  if (!check) return fail(`unknown check ${show(field)}${suggestion(field, ctx.checkNames)}`);
  if (check.params === 'event_count') {
    validateEventCount(params, `${path}.params`, ctx);
  } else if (params !== undefined) {
    ctx.problems.push({ path: `${path}.params`, message: `${field} takes no params` });
  }
  return check.type;
}

function validateEventCount(params: unknown, path: string, ctx: Context): params is EventCountParams {
  if (!isObject(params)) {
    ctx.problems.push({ path, message: 'event_count needs params { action, window, by }' });
    return false;
  }
  const before = ctx.problems.length;
  const { action, window, by, ...rest } = params;
  if (typeof action !== 'string' || (action !== '*' && !ACTION_NAME.test(action))) ctx.problems.push({ path: `${path}.action`, message: 'must be an action name or *' });
  if (parseWindow(window) === null) ctx.problems.push({ path: `${path}.window`, message: `window must be like 30s, 10m, 1h or 7d (at most 90 days), not ${show(window)}` });
  if (!['user', 'ip', 'fingerprint', 'device'].includes(by as string)) ctx.problems.push({ path: `${path}.by`, message: 'by must be user, ip, fingerprint or device' });
  for (const key of Object.keys(rest)) ctx.problems.push({ path: `${path}.${key}`, message: 'is not a param of event_count' });
  return ctx.problems.length === before;
}

function valueFits(type: FieldType | 'any', value: unknown): boolean {
  if (type === 'any') return isScalar(value);
  if (type === 'severity') return severities.includes(value as never);
  return typeof value === type && isScalar(value);
}

function validateLeaf(leaf: Record<string, unknown>, path: string, ctx: Context): void {
  ctx.leaves++;
  const { field, operator, value, params, ...rest } = leaf;
  for (const key of Object.keys(rest)) ctx.problems.push({ path: `${path}.${key}`, message: 'is not part of a condition (field, operator, value, params)' });
  if (typeof field !== 'string' || field === '') {
    ctx.problems.push({ path: `${path}.field`, message: 'a condition needs a field' });
    return;
  }
  if (field.length > MAX_FIELD_LENGTH) {
    ctx.problems.push({ path: `${path}.field`, message: `a field name is at most ${MAX_FIELD_LENGTH} characters` });
    return;
  }
  const type = fieldType(field, params, path, ctx);
  if (!isOperator(operator)) {
    ctx.problems.push({ path: `${path}.operator`, message: `unknown operator ${show(operator)}; use one of ${Object.keys(operators).join(', ')}` });
    return;
  }
  if (type === null) return;
  const op = operators[operator];
  if (type !== 'any' && !op.accepts.includes(type)) {
    ctx.problems.push({ path, message: `${operator} does not apply to ${field}, a ${type}` });
    return;
  }
  const about = `${field} ${operator}`;
  const what = type === 'any' ? 'a string, number or boolean' : type === 'severity' ? `a severity (${severities.join(', ')})` : `a ${type}`;
  const tooLong = (v: unknown) => typeof v === 'string' && v.length > MAX_VALUE_LENGTH;
  const tooLongMessage = `${about}: a value is at most ${MAX_VALUE_LENGTH} characters`;
  if (op.value === 'none') {
    if (value !== undefined) ctx.problems.push({ path: `${path}.value`, message: `${about} takes no value` });
  } else if (op.value === 'array') {
    if (!Array.isArray(value) || value.length === 0 || value.length > 500) ctx.problems.push({ path: `${path}.value`, message: `${about} needs a list of 1 to 500 values` });
    else {
      value.forEach((v, i) => {
        if (tooLong(v)) ctx.problems.push({ path: `${path}.value[${i}]`, message: tooLongMessage });
        else if (!valueFits(type, v)) ctx.problems.push({ path: `${path}.value[${i}]`, message: `${about}: ${show(v)} is not ${what}` });
      });
    }
  } else if (tooLong(value)) {
    ctx.problems.push({ path: `${path}.value`, message: tooLongMessage });
  } else if (!valueFits(type, value)) {
    ctx.problems.push({ path: `${path}.value`, message: `${about}: ${show(value)} is not ${what}` });
  }
}

function validateCondition(condition: unknown, path: string, depth: number, ctx: Context): void {
  if (depth > MAX_DEPTH) {
    ctx.problems.push({ path, message: `conditions nest deeper than ${MAX_DEPTH} levels` });
    return;
  }
  if (!isObject(condition)) {
    ctx.problems.push({ path, message: 'must be a condition: { field, operator, value } or { all | any: [...] } or { not: ... }' });
    return;
  }
  const groups = ['all', 'any', 'not'].filter((k) => k in condition);
  if (groups.length > 0 && (groups.length > 1 || Object.keys(condition).length > 1)) {
    ctx.problems.push({ path, message: 'a group has exactly one key: all, any or not' });
    return;
  }
  const [kind] = groups;
  if (kind === 'not') {
    validateCondition(condition.not, `${path}.not`, depth + 1, ctx);
    return;
  }
  if (kind === 'all' || kind === 'any') {
    const children = condition[kind];
    if (!Array.isArray(children) || children.length === 0) {
      ctx.problems.push({ path: `${path}.${kind}`, message: `${kind} needs a non-empty list of conditions` });
      return;
    }
    for (const [i, child] of children.entries()) validateCondition(child, `${path}.${kind}[${i}]`, depth + 1, ctx);
    return;
  }
  validateLeaf(condition, path, ctx);
}

function validUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 2048) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function validateAction(action: unknown, ctx: Context): PolicyAction | null {
  const problem = (path: string, message: string) => ctx.problems.push({ path: `action${path}`, message });
  if (!isObject(action)) {
    problem('', `needs { type: ${POLICY_ACTION_TYPES.join(' | ')} }`);
    return null;
  }
  switch (action.type) {
    case 'allow':
    case 'deny':
    case 'suspend':
    case 'restrict':
      return { type: action.type };
    case 'challenge':
    case 'challenge_and_restrict': {
      const c = action.challenge;
      if (!isObject(c) || !challengeMethods.includes(c.type)) {
        problem('.challenge.type', `a challenge needs challenge.type: ${CHALLENGE_METHODS.join(' or ')}`);
        return null;
      }
      const channels = c.channels ?? (c.type === 'verification' ? ['email'] : []);
      if (!Array.isArray(channels) || channels.some((ch) => !challengeChannels.includes(ch)) || new Set(channels).size !== channels.length) {
        problem('.challenge.channels', 'channels are email and/or sms');
      } else if (c.type === 'verification' && channels.length === 0) {
        problem('.challenge.channels', 'a verification needs at least one channel');
      }
      if (c.type === 'device_limit' && !(Number.isInteger(c.device_limit) && (c.device_limit as number) >= 1 && (c.device_limit as number) <= 100)) {
        problem('.challenge.device_limit', 'a device_limit challenge needs device_limit, an integer from 1 to 100');
      }
      for (const key of ['success_url', 'logout_url'] as const) {
        if (c[key] !== undefined && !validUrl(c[key])) problem(`.challenge.${key}`, 'must be an absolute http(s) URL');
      }
      if (
        c.suppress_days !== undefined &&
        !(c.type === 'verification' && Number.isInteger(c.suppress_days) && (c.suppress_days as number) >= 0 && (c.suppress_days as number) <= MAX_SUPPRESSION_DAYS)
      ) {
        problem('.challenge.suppress_days', `a verification's suppress_days is an integer from 0 to ${MAX_SUPPRESSION_DAYS} (a device limit is never suppressed)`);
      }
      if (c.allow_skip !== undefined && !(c.type === 'verification' && typeof c.allow_skip === 'boolean')) {
        problem('.challenge.allow_skip', "a verification's allow_skip is true or false (a device limit cannot be skipped)");
      }
      for (const key of Object.keys(c)) {
        if (!['type', 'channels', 'device_limit', 'success_url', 'logout_url', 'suppress_days', 'allow_skip'].includes(key))
          problem(`.challenge.${key}`, 'is not part of a challenge');
      }
      return {
        type: action.type,
        challenge: {
          type: c.type as ChallengeMethod,
          channels: channels as ('email' | 'sms')[],
          ...(c.device_limit === undefined ? {} : { device_limit: c.device_limit as number }),
          ...(c.success_url === undefined ? {} : { success_url: c.success_url as string }),
          ...(c.logout_url === undefined ? {} : { logout_url: c.logout_url as string }),
          ...(c.suppress_days === undefined ? {} : { suppress_days: c.suppress_days as number }),
          ...(c.allow_skip === undefined ? {} : { allow_skip: c.allow_skip as boolean }),
        },
      };
    }
    case 'add_to_list':
    case 'remove_from_list': {
      if (typeof action.list !== 'string' || !/^[a-z0-9][a-z0-9_.-]{0,63}$/.test(action.list)) problem('.list', 'needs the name of a list');
      if (!listValueKinds.includes(action.value as string)) problem('.value', `is which value of the evaluation: ${listValueKinds.join(', ')}`);
      return { type: action.type, list: action.list as string, value: action.value as never };
    }
    default:
      problem('.type', `unknown action ${show(action.type)}: ${POLICY_ACTION_TYPES.join(', ')}`);
      return null;
  }
}

/**
 * Checks a policy before it is saved and returns it in canonical form, or every problem, each at its
 * JSON path (`conditions.any[1].all[0]`): a policy that cannot run is never stored.
 */
export function validatePolicy(
  input: unknown,
  lookup: CheckLookup,
  options: { checkNames?: readonly string[]; knownLists?: readonly string[]; customRisks?: readonly string[] } = {},
): { ok: true; policy: PolicyDraft } | { ok: false; errors: PolicyProblem[] } {
  const ctx: Context = {
    lookup,
    checkNames: options.checkNames ?? checkRegistry.map((c) => c.name),
    knownLists: options.knownLists,
    risks: [...builtInRisks, ...(options.customRisks ?? [])],
    problems: [],
    leaves: 0,
  };
  if (!isObject(input)) return { ok: false, errors: [{ path: '', message: 'a policy is an object' }] };
  const { name, events, priority, enabled = true, conditions, action } = input;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100) ctx.problems.push({ path: 'name', message: 'a policy needs a name of 1 to 100 characters' });
  if (!Array.isArray(events) || events.length === 0 || events.some((e) => typeof e !== 'string' || (e !== '*' && !ACTION_NAME.test(e)))) {
    ctx.problems.push({ path: 'events', message: 'events is a non-empty list of action names (login, signup, …) or *' });
  }
  if (!Number.isInteger(priority) || (priority as number) < 0 || (priority as number) > 1_000_000)
    ctx.problems.push({ path: 'priority', message: 'priority is an integer from 0 to 1,000,000 (lower runs first)' });
  if (typeof enabled !== 'boolean') ctx.problems.push({ path: 'enabled', message: 'enabled is true or false' });
  for (const key of Object.keys(input)) {
    if (!['name', 'events', 'priority', 'enabled', 'conditions', 'action', 'id', 'object', 'version', 'environment', 'createdAt', 'updatedAt'].includes(key)) {
      ctx.problems.push({ path: key, message: 'is not part of a policy' });
    }
  }
  validateCondition(conditions, 'conditions', 0, ctx);
  if (ctx.leaves > MAX_LEAVES) ctx.problems.push({ path: 'conditions', message: `more than ${MAX_LEAVES} conditions` });
  const validAction = validateAction(action, ctx);
  if (ctx.problems.length > 0 || !validAction) return { ok: false, errors: ctx.problems };
  return {
    ok: true,
    policy: {
      name: (name as string).trim(),
      events: [...new Set(events as string[])],
      priority: priority as number,
      enabled: enabled as boolean,
      conditions: conditions as Condition,
      action: validAction,
    },
  };
}
