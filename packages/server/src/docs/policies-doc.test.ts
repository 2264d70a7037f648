import { readFileSync } from 'node:fs';
import {
  type CheckValue,
  type DecisionRequest,
  decide,
  emptyHistory,
  type EvaluationInput,
  eventCountKey,
  eventCountParamsOf,
  type Facts,
  type HistorySnapshot,
  type ListMembership,
  lookupCheck,
  noFacts,
  type Policy,
  type PolicyProblem,
  type Severity,
  validatePolicy,
  VERDICTS,
} from '@vigil/core';
import { describe, expect, it } from 'vitest';

/**
 * docs/policies.md stays true to the policy language: every ```json policy in it is one the server would
 * save (core's validator, as `POST /v3/policies` runs it) and one that decides as its guide says.
 */

const markdown = readFileSync(new URL('../../../../docs/policies.md', import.meta.url), 'utf8');

/** The guides, by heading; a heading may add a parenthesis ("Account takeover (login protection)"). */
const GUIDES = [
  'Account takeover',
  'Account sharing',
  'Fake accounts',
  'Scraping',
  'Multi-accounting',
  'Ban evasion',
  'Chargeback dispute',
  'Risky transaction',
  'Bot detection',
  'Card testing',
  'Incentive abuse',
] as const;
/** The other sections of the page. */
const OTHER_SECTIONS = ['The language', 'Risks'];
/** The introduction (before any `##`) shows a policy's shape with `…` placeholders: that block, and no other, is not runnable. */
const INTRODUCTION = '';
const EXPECTED_PLACEHOLDERS = [INTRODUCTION];

interface Block {
  section: string;
  /** 1-based line of the opening fence, for messages. */
  line: number;
  text: string;
}

/** Every ```json block, with the `##` section it is in (the parenthesis of a heading dropped). */
function jsonBlocks(md: string): Block[] {
  const blocks: Block[] = [];
  const lines = md.split('\n');
  let section = INTRODUCTION;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heading = /^## (.+)$/.exec(line);
    if (heading) section = heading[1]!.replace(/\s*\([^)]*\)\s*$/, '').trim();
    if (line.trimEnd() !== '```json') continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i]!.trimEnd() !== '```'; i++) body.push(lines[i]!);
    if (i === lines.length) throw new Error(`docs/policies.md:${start + 1}: a json block is never closed`);
    blocks.push({ section, line: start + 1, text: body.join('\n') });
  }
  return blocks;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

type Classified =
  | { kind: 'placeholder'; block: Block }
  | { kind: 'policy'; block: Block; input: Record<string, unknown> }
  | { kind: 'condition'; block: Block; condition: Record<string, unknown> }
  | { kind: 'broken'; block: Block; reason: string };

/**
 * What a block is: an illustration with `…` placeholders (never run), a whole policy (`conditions` and
 * `action`), a condition shown on its own (a group or a leaf), or broken: not JSON, or neither. A typo in
 * a policy makes it broken or invalid, never skipped.
 */
function classify(block: Block): Classified {
  if (block.text.includes('…')) return { kind: 'placeholder', block };
  let value: unknown;
  try {
    value = JSON.parse(block.text);
  } catch (error) {
    return { kind: 'broken', block, reason: `not JSON: ${(error as Error).message}` };
  }
  if (!isObject(value)) return { kind: 'broken', block, reason: 'not an object' };
  if ('conditions' in value && 'action' in value) return { kind: 'policy', block, input: value };
  const isCondition = ['all', 'any', 'not', 'field'].some((k) => k in value) && !['conditions', 'action', 'name', 'events'].some((k) => k in value);
  if (isCondition) return { kind: 'condition', block, condition: value };
  return { kind: 'broken', block, reason: 'neither a policy (conditions and action) nor a condition' };
}

const blocks = jsonBlocks(markdown).map(classify);
const where = (b: Block) => `docs/policies.md:${b.line} (${b.section || 'introduction'})`;
const policyBlocks = blocks.filter((b): b is Extract<Classified, { kind: 'policy' }> => b.kind === 'policy');
const conditionBlocks = blocks.filter((b): b is Extract<Classified, { kind: 'condition' }> => b.kind === 'condition');

/** What the server does before saving (use-cases/save-policy.ts), for a project without custom risks. */
function problemsOf(input: unknown): PolicyProblem[] {
  const result = validatePolicy(input, lookupCheck);
  return result.ok ? [] : result.errors;
}

/** The doc's policies as the server stores and runs them: validated (canonical form), with an id and a version. */
const policies: { section: string; block: Block; policy: Policy }[] = policyBlocks.flatMap(({ block, input }, i) => {
  const result = validatePolicy(input, lookupCheck);
  return result.ok ? [{ section: block.section, block, policy: { ...result.policy, id: `po_doc_${i + 1}`, version: 1 } }] : [];
});

describe('docs/policies.md: every json block', () => {
  it('is found, however many there are', () => {
    expect(blocks.length).toBe(markdown.match(/^```json\s*$/gm)?.length);
    expect(policyBlocks.length).toBeGreaterThanOrEqual(GUIDES.length);
  });

  it('is a policy or a condition, except the one illustration with placeholders', () => {
    const placeholders = blocks.filter((b) => b.kind === 'placeholder');
    expect(placeholders.map((b) => b.block.section)).toEqual(EXPECTED_PLACEHOLDERS);
    // The illustration is not JSON at all: it can never be a runnable policy in disguise.
    for (const { block } of placeholders) expect(() => JSON.parse(block.text), where(block)).toThrow();
    const broken = blocks.flatMap((b) => (b.kind === 'broken' ? [`${where(b.block)}: ${b.reason}`] : []));
    expect(broken).toEqual([]);
  });

  it.each(policyBlocks.map((b) => [`${where(b.block)}: ${String(b.input.name)}`, b.input] as const))('%s is a valid policy', (_, input) => {
    expect(problemsOf(input)).toEqual([]);
  });

  it.each(conditionBlocks.map((b) => [where(b.block), b.condition] as const))('%s is a valid condition', (_, condition) => {
    expect(problemsOf({ name: 'condition from the docs', events: ['*'], priority: 1, conditions: condition, action: { type: 'deny' } })).toEqual([]);
  });
});

describe('docs/policies.md: the guides', () => {
  const sections = [...markdown.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.replace(/\s*\([^)]*\)\s*$/, '').trim());

  it('are exactly the eleven, each once', () => {
    expect([...sections].sort()).toEqual([...GUIDES, ...OTHER_SECTIONS].sort());
  });

  it.each(GUIDES)('%s has a policy that validates', (guide) => {
    const own = policyBlocks.filter((b) => b.block.section === guide);
    expect(own.length, `no policy under "## ${guide}"`).toBeGreaterThan(0);
    expect(own.filter((b) => problemsOf(b.input).length === 0).length).toBeGreaterThan(0);
  });
});

// ——— Running the policies through core's decide ———

const DAY = 86_400_000;
const now = Date.UTC(2026, 10, 25, 12, 0, 0);
const sig = (value: unknown) => ({ value, ms: 1 });

/** What the browser SDK sends for a person at a computer: a mouse path to each click, keys held like a hand's. */
const personSignals = {
  webdriver: sig(false),
  automation: sig([]),
  process_object: sig(false),
  pointer: sig({ moves: 140, path_px: 2400, presses: 2, without_path: 0, judged_path: 2, linear_path: 0, at_centre: 0, pressure_zero: 0, touch: 0 }),
  keys: sig({ keys: 14, gaps: 13, fast_gaps: 1, overlaps: 3, shifted_without_shift: 0, inserted_without_keys: 0, pastes: 0, filled: 0, dwell_median_ms: 95 }),
};

/** A long-standing customer, on her own computer, at home, in the browser. */
const customer: EvaluationInput = {
  action: 'login',
  channel: 'client',
  user: { id: 'alice', email: 'alice@gmail.com' },
  metadata: {},
  ip: '84.208.1.1',
  userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  fingerprint: 'f'.repeat(32),
  fingerprintId: 'fp_alice',
  deviceId: 'dv_alice',
  origin: 'https://shop.example',
  hasDeviceCookie: true,
  nonce: 'valid',
  signals: personSignals,
};
const oslo = { latitude: 59.91, longitude: 10.75, accuracyKm: 20, precision: 'city' as const };
const customerFacts: Facts = {
  ip: { type: 'isp', types: ['isp'], asn: 2119, country: 'NO', location: oslo, listAgeDays: 3 },
  email: { valid: true, domain: 'gmail.com', disposable: false, webmail: true, hasMailExchanger: true, acceptAll: null },
  phone: null,
  userAgent: { deviceClass: 'computer', browser: 'Chrome', os: 'Windows', isBot: false },
};
const customerHistory: HistorySnapshot = {
  ...emptyHistory,
  user: { firstSeenAt: now - 400 * DAY, emailVerified: true, phoneVerified: false, suspended: false },
  ipLastSeenAt: now - DAY,
  fingerprintLastSeenAt: now - DAY,
  deviceLastSeenAt: now - DAY,
  fingerprintUserCount: 1,
  deviceUserCount: 1,
  ipUserCount: 3,
  originLastSeenAt: now - DAY,
  failedChallengesLastDay: 0,
};

/** Every list the doc's policies read: the store answers each (not matched, unless a case says so). */
const docLists = [...new Set(markdown.match(/in_list:[a-z0-9_.-]+/g) ?? [])].map((field) => field.slice('in_list:'.length));
const listType = (name: string): ListMembership['type'] => (name.endsWith('_users') ? 'user' : name.endsWith('_fingerprints') ? 'fingerprint' : 'device');
/** Every count the doc's policies read is 1 for an ordinary evaluation: this one. */
const ordinaryCounts = Object.fromEntries(eventCountParamsOf(policies.map((p) => p.policy)).map((params) => [eventCountKey(params), 1]));

/** An evaluation as a case describes it, on top of the ordinary customer. */
interface Case {
  label: string;
  /** The action evaluated (default: the policy's first event, `login` for `*`). */
  action?: string;
  evaluation?: Partial<EvaluationInput>;
  facts?: Partial<Facts>;
  history?: Partial<HistorySnapshot>;
  /** Lists (by name) holding a value of this evaluation. */
  inLists?: string[];
  /** Counts by `eventCountKey`, e.g. `event_count:checkout:1h:fingerprint`. */
  counts?: Record<string, number>;
  /** Checks and risks the case is about, asserted so that it matches for the reason it says. */
  shows?: { checks?: Record<string, CheckValue>; risks?: Record<string, Severity> };
}

function requestFor(c: Case, action: string, policyList: Policy[]): DecisionRequest {
  const inLists = new Set(c.inLists ?? []);
  for (const list of inLists) if (!docLists.includes(list)) throw new Error(`${c.label}: no policy in the doc reads the list ${list}`);
  return {
    evaluation: { ...customer, ...c.evaluation, action },
    facts: { ...customerFacts, ...c.facts },
    history: {
      ...customerHistory,
      ...c.history,
      lists: docLists.map((name) => ({ name, type: listType(name), matched: inLists.has(name) })),
      eventCounts: { ...ordinaryCounts, ...c.counts },
    },
    policies: policyList,
    now,
  };
}

const newMachine: Partial<HistorySnapshot> = { ipLastSeenAt: null, fingerprintLastSeenAt: null, deviceLastSeenAt: null };
const unverified: Partial<HistorySnapshot> = { user: { firstSeenAt: now - 40 * DAY, emailVerified: false, phoneVerified: false, suspended: false } };
const firstEvaluation: Partial<HistorySnapshot> = {
  user: null,
  ipLastSeenAt: null,
  fingerprintLastSeenAt: null,
  deviceLastSeenAt: null,
  fingerprintUserCount: 1,
  deviceUserCount: 1,
  ipUserCount: 1,
};
const ipOf = (type: NonNullable<Facts['ip']>['type'], asn = 64500): Partial<Facts> => ({ ip: { type, types: [type], asn, country: 'NL', location: null, listAgeDays: 3 } });
const otherDevice = (id: string) => ({ deviceId: id, deviceClass: 'mobile' as const, firstSeenAt: now - 20 * DAY, lastSeenAt: now - 60_000, lastLocation: null });

/** For each policy of the doc, by name: evaluations that make it match, each for the reason its guide gives. */
const matchingCases: Record<string, Case[]> = {
  // Account takeover
  'Verify logins that look like a takeover': [
    {
      label: 'the password on a new machine behind Tor',
      history: newMachine,
      facts: ipOf('tor'),
      shows: { checks: { is_new_device: true, ip_is_tor: true }, risks: { ato: 'high' } },
    },
  ],
  // Account sharing
  'Limit simultaneous devices': [
    {
      label: 'two other devices in use right now',
      action: 'access',
      history: { devices: [otherDevice('dv_2'), otherDevice('dv_3')], deviceRecentActivity: [now - 120_000] },
      shows: { checks: { concurrent_sessions: true, concurrent_session_count: 2 } },
    },
  ],
  // Fake accounts
  'Stop throwaway signups': [
    {
      label: 'a disposable address',
      action: 'signup',
      history: firstEvaluation,
      evaluation: { user: { id: 'u_new', email: 'x@mailinator.com' } },
      facts: { email: { valid: true, domain: 'mailinator.com', disposable: true, webmail: false, hasMailExchanger: true, acceptAll: null } },
      shows: { checks: { email_is_disposable: true } },
    },
    { label: 'the eleventh signup from one IP in an hour', action: 'signup', history: firstEvaluation, counts: { 'event_count:signup:1h:ip': 11 } },
  ],
  // Scraping
  'Deny automated access from datacenters': [
    {
      label: 'a crawler in a datacenter',
      facts: { ...ipOf('hosting'), userAgent: { deviceClass: null, browser: null, os: null, isBot: true } },
      shows: { checks: { ip_is_hosting: true, ua_is_bot: true } },
    },
  ],
  // Multi-accounting
  'Flag linked accounts': [{ label: 'a third account on one device', history: { deviceUserCount: 3 }, shows: { checks: { device_user_count: 3 } } }],
  // Ban evasion
  'Keep banned devices out': [{ label: 'a banned device under a new name', inLists: ['banned_devices'], shows: { checks: { 'in_list:banned_devices': true } } }],
  // Chargeback dispute
  'Verify the email before large orders': [
    {
      label: 'a large order from an unverified address',
      evaluation: { metadata: { order: 'o-1', amount: 300 } },
      history: unverified,
      shows: { checks: { is_email_verified: false } },
    },
  ],
  'Keep past disputers out of checkout': [
    { label: 'a user who disputed before', evaluation: { metadata: { order: 'o-1', amount: 40 } }, inLists: ['disputed_users'] },
    { label: 'a device that disputed before, under another user', evaluation: { user: { id: 'bob' }, metadata: { order: 'o-2', amount: 40 } }, inLists: ['disputed_devices'] },
  ],
  // Risky transaction
  'Verify large payments that do not look like the owner': [
    {
      label: 'a large order from a machine and a proxy the user never used',
      evaluation: { metadata: { order: 'o-1', amount: 900 } },
      history: newMachine,
      facts: ipOf('proxy'),
      shows: { checks: { is_new_device: true, ip_is_proxy: true, ip_is_tor: false }, risks: { ato: 'high' } },
    },
    {
      label: 'a large order through Tor on the user’s own machine',
      evaluation: { metadata: { order: 'o-1', amount: 900 } },
      facts: ipOf('tor'),
      shows: { checks: { ip_is_tor: true }, risks: { ato: 'medium' } },
    },
    {
      label: 'a large order from an account made an hour ago',
      evaluation: { metadata: { order: 'o-1', amount: 700 } },
      history: { user: { firstSeenAt: now - 3_600_000, emailVerified: false, phoneVerified: false, suspended: false } },
      shows: { checks: { user_age_days: 0, is_new_user: false }, risks: { ato: 'low' } },
    },
  ],
  // Bot detection
  'Deny automated browsers': [
    { label: 'a browser under WebDriver', evaluation: { signals: { ...personSignals, webdriver: sig(true) } }, shows: { checks: { navigator_webdriver_true: true } } },
    { label: 'headless Chrome naming itself', facts: { userAgent: { deviceClass: null, browser: 'Chrome', os: 'Linux', isBot: true } }, shows: { checks: { ua_is_bot: true } } },
  ],
  'Verify input that looks scripted': [
    {
      label: 'a click with no path before it, at the exact centre',
      evaluation: {
        signals: {
          ...personSignals,
          pointer: sig({ moves: 0, path_px: 0, presses: 1, without_path: 1, judged_path: 0, linear_path: 0, at_centre: 1, pressure_zero: 0, touch: 0 }),
        },
      },
      shows: { checks: { input_without_pointer_path: true, click_at_exact_centre: true, navigator_webdriver_true: false, ua_is_bot: false }, risks: { bot: 'high' } },
    },
  ],
  // Card testing
  'Stop card testing': [
    {
      label: 'the sixth small payment from one fingerprint in an hour',
      evaluation: { metadata: { order: 'o-6', amount: 1 } },
      counts: { 'event_count:checkout:1h:fingerprint': 6 },
    },
    { label: 'the thirty-first checkout from one IP in ten minutes', evaluation: { metadata: { order: 'o-31', amount: 12 } }, counts: { 'event_count:checkout:10m:ip': 31 } },
    { label: 'a one-unit payment from a datacenter', evaluation: { metadata: { order: 'o-1', amount: 1 } }, facts: ipOf('hosting'), shows: { checks: { ip_is_hosting: true } } },
  ],
  // Incentive abuse
  'One welcome offer per device': [
    { label: 'a device that claimed the offer before', evaluation: { metadata: { offer: 'welcome' } }, inLists: ['redeemed_devices'] },
    {
      label: 'an account sharing its device and fingerprint with another',
      evaluation: { metadata: { offer: 'welcome' } },
      history: { deviceUserCount: 2, fingerprintUserCount: 2 },
      shows: { risks: { linked_accounts: 'high' } },
    },
    {
      label: 'a disposable address',
      evaluation: { user: { id: 'u_new', email: 'x@mailinator.com' }, metadata: { offer: 'welcome' } },
      facts: { email: { valid: true, domain: 'mailinator.com', disposable: true, webmail: false, hasMailExchanger: true, acceptAll: null } },
      shows: { checks: { email_is_disposable: true } },
    },
  ],
  'Remember devices that redeemed': [{ label: 'a first claim of the welcome offer', evaluation: { metadata: { offer: 'welcome' } } }],
};

const defaultAction = (policy: Policy) => policy.events.find((e) => e !== '*') ?? 'login';

describe('docs/policies.md: every policy runs', () => {
  const runs = policies.flatMap(({ block, policy }) =>
    policy.events.map((event) => [`${where(block)}: ${policy.name} on ${event === '*' ? 'login (*)' : event}`, policy, event === '*' ? 'login' : event] as const),
  );

  it.each(runs)('%s: a minimal evaluation gets a verdict', (_, policy, action) => {
    const evaluation: EvaluationInput = { action, channel: 'server', user: { id: 'u_1' }, metadata: {} };
    const decision = decide({ evaluation, facts: noFacts, history: emptyHistory, policies: [policy], now });
    expect(VERDICTS).toContain(decision.verdict);
    if (decision.explanation.policy) expect(decision.explanation.policy.id).toBe(policy.id);
  });
});

describe('docs/policies.md: each policy matches what its guide says', () => {
  it('every policy has cases, and every case a policy', () => {
    expect(Object.keys(matchingCases).sort()).toEqual(policies.map((p) => p.policy.name).sort());
  });

  const cases = policies.flatMap(({ section, policy }) => (matchingCases[policy.name] ?? []).map((c) => [`${section}: ${policy.name}: ${c.label}`, policy, c] as const));

  it.each(cases)('%s', (_, policy, c) => {
    const action = c.action ?? defaultAction(policy);
    expect(policy.events.includes(action) || policy.events.includes('*'), `${policy.name} does not run on ${action}`).toBe(true);
    const decision = decide(requestFor(c, action, [policy]));
    const { checks, risks } = decision.explanation;
    if (c.shows?.checks) expect(checks).toMatchObject(c.shows.checks);
    if (c.shows?.risks) expect(Object.fromEntries(risks.map((r) => [r.category, r.severity]))).toMatchObject(c.shows.risks);
    expect(decision.explanation.policy).toMatchObject({ id: policy.id, trace: { status: 'matched' } });
    expect(decision.verdict).toBe(policy.action.type);
    const { action: policyAction } = policy;
    if ('challenge' in policyAction) expect(decision.effects).toContainEqual(expect.objectContaining({ type: 'open_challenge', policy: policy.id }));
    if (policyAction.type === 'suspend') expect(decision.effects).toContainEqual({ type: 'suspend_user' });
    if (policyAction.type === 'add_to_list' || policyAction.type === 'remove_from_list') {
      expect(decision.effects).toContainEqual(expect.objectContaining({ type: policyAction.type, list: policyAction.list, kind: policyAction.value }));
    }
  });
});

describe('docs/policies.md: the guides spare ordinary people', () => {
  /** What the guides' prose says must not be denied, challenged or suspended, with every doc policy enabled at once. */
  const ordinary: Case[] = [
    { label: 'a customer logs in at home', action: 'login' },
    { label: 'a person signs up on their own computer', action: 'signup', history: firstEvaluation, evaluation: { user: { id: 'u_new', email: 'new@gmail.com' } } },
    { label: 'a customer reads a page', action: 'access' },
    { label: 'a known customer places a large order', action: 'checkout', evaluation: { metadata: { order: 'o-1', amount: 900 } } },
    {
      label: 'a known customer pays through a VPN',
      action: 'checkout',
      evaluation: { metadata: { order: 'o-1', amount: 900 } },
      facts: ipOf('vpn', 9009),
      shows: { checks: { ip_is_vpn: true } },
    },
    {
      label: 'a customer retries a declined card three times',
      action: 'checkout',
      evaluation: { metadata: { order: 'o-1', amount: 40 } },
      counts: { 'event_count:checkout:1h:fingerprint': 3, 'event_count:checkout:1h:device': 3, 'event_count:checkout:10m:ip': 3 },
    },
    {
      label: 'a password manager types the password',
      action: 'login',
      evaluation: {
        signals: {
          ...personSignals,
          keys: sig({ keys: 0, gaps: 0, fast_gaps: 0, overlaps: 0, shifted_without_shift: 0, inserted_without_keys: 16, pastes: 0, filled: 0, dwell_median_ms: null }),
        },
      },
      shows: { checks: { text_without_key_events: true }, risks: { bot: 'low' } },
    },
    { label: 'a customer claims the welcome offer once', action: 'redeem', evaluation: { metadata: { offer: 'welcome' } } },
  ];
  const enabled = () => policies.map((p) => p.policy);

  it('covers every action the guides protect', () => {
    const actions = new Set(
      enabled()
        .flatMap((p) => p.events)
        .filter((e) => e !== '*'),
    );
    expect([...actions].filter((a) => !ordinary.some((c) => c.action === a))).toEqual([]);
  });

  it.each(ordinary.map((c) => [c.label, c] as const))('%s', (_, c) => {
    const decision = decide(requestFor(c, c.action!, enabled()));
    if (c.shows?.checks) expect(decision.explanation.checks).toMatchObject(c.shows.checks);
    if (c.shows?.risks) expect(Object.fromEntries(decision.explanation.risks.map((r) => [r.category, r.severity]))).toMatchObject(c.shows.risks);
    expect(['allow', 'add_to_list'], `decided by ${decision.explanation.policy?.name}`).toContain(decision.verdict);
  });
});
