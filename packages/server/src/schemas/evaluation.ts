import { type Static, Type } from 'typebox';
import { errorStatus } from '../errors/codes.js';
import { ChallengeChannelName, ChallengeKindName, ChallengeMethodName, ChallengeStatusName, oneOf, SeverityName, VerdictName } from './closed-sets.js';
import { PolicyAction } from './policy-action.js';

// One schema per shape: Fastify validates requests with them, serializes responses through them (so a
// field not in the response schema can never leak out), and @fastify/swagger publishes them as OpenAPI.

export const ActionName = Type.String({
  maxLength: 64,
  pattern: '^[a-z][a-z0-9_.:-]{0,63}$',
  description: '`login`, `signup`, `access`, `checkout`, or a custom action name (lower case)',
});
export const UserId = Type.String({
  minLength: 1,
  maxLength: 256,
  pattern: '^[^~]',
  description: "The application's own user id (not starting with `~`: Vigil names a signup's identity so until it has an id)",
});
/** Required except on a signup, which may come before the account has an id (then email or phone is). */
const EvaluatedUserId = Type.Optional({ ...UserId, description: "The application's own user id; a `signup` may leave it out and send `email` or `phone`" });
const Email = Type.Union([Type.String({ minLength: 1, maxLength: 320 }), Type.Null()]);
const Phone = Type.Union([Type.String({ minLength: 1, maxLength: 32 }), Type.Null()]);
export const Metadata = Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 1024 }), Type.Number(), Type.Boolean(), Type.Null()]), {
  maxProperties: 50,
  propertyNames: { minLength: 1, maxLength: 64 },
  description: 'What the action was about, echoed back to your backend',
});
export const FingerprintHash = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' });
/**
 * A device hash as `getHash()` gave it: Vigil's SDK gives the current hash, Rupt v2's gave
 * `[current, last]`, and a backend written for either passes it on unchanged.
 */
export const Fingerprint = Type.Union([FingerprintHash, Type.Array(Type.Union([FingerprintHash, Type.Null()]), { minItems: 1, maxItems: 2 })], {
  description: 'The device hash from `getHash()` in the page: the hash, or `[current, last]` as Rupt v2 gave it',
});
export type Fingerprint = Static<typeof Fingerprint>;

/** The hash an evaluation is about: the current one, else the last one the browser had. */
export function fingerprintHashOf(fingerprint: Fingerprint | null | undefined): string | null {
  if (fingerprint === null || fingerprint === undefined) return null;
  if (typeof fingerprint === 'string') return fingerprint;
  return fingerprint[0] ?? fingerprint[1] ?? null;
}

export const ClientNonceBody = Type.Object({ client_id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
export const ClientNonceReply = Type.Object({ nonce: Type.String() }, { additionalProperties: false });

export const Signals = Type.Object(
  {
    fingerprint: Type.Optional(Fingerprint),
    attributes: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { maxProperties: 100 })),
  },
  // Signals grow with the browser SDK; a newer SDK's extra signals must not break an older server.
  { additionalProperties: true },
);

export const ClientEvaluateBody = Type.Object(
  {
    client_id: Type.String({ minLength: 1, maxLength: 64 }),
    action: ActionName,
    user: EvaluatedUserId,
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
    metadata: Type.Optional(Metadata),
    nonce: Type.Optional(Type.String({ maxLength: 128 })),
    signals: Type.Optional(Signals),
  },
  { additionalProperties: false },
);
export type ClientEvaluateBody = Static<typeof ClientEvaluateBody>;

/** All the browser ever learns: an id to hand to its backend, and where to go for a challenge. */
export const ClientEvaluateReply = Type.Object(
  { evaluation_id: Type.String(), redirect: Type.Optional(Type.String()), logout: Type.Optional(Type.Literal(true)) },
  { additionalProperties: false },
);

export const CreateEvaluationBody = Type.Object(
  {
    action: ActionName,
    user: EvaluatedUserId,
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
    ip: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "The user's IP address as your backend saw it" })),
    user_agent: Type.Optional(Type.String({ maxLength: 2048 })),
    fingerprint: Type.Optional(Fingerprint),
    metadata: Type.Optional(Metadata),
  },
  { additionalProperties: false },
);
export type CreateEvaluationBody = Static<typeof CreateEvaluationBody>;

export const EvaluationIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

const Severity = SeverityName;
const ErrorCodeName = oneOf(Object.keys(errorStatus) as (keyof typeof errorStatus)[]);
const OpenObject = Type.Object({}, { additionalProperties: true });

/** The challenge as the evaluation shows it, with its status now. */
export const EvaluationChallenge = Type.Object(
  {
    id: Type.String(),
    type: ChallengeKindName,
    method: ChallengeMethodName,
    status: ChallengeStatusName,
    channels: Type.Array(ChallengeChannelName),
    reasons: Type.Array(Type.String()),
  },
  { title: 'EvaluationChallenge' },
);

/** One condition's outcome: its children for a group (`all`, `any`, `not`), its values for a leaf. */
const TraceNode = Type.Object(
  {
    node: Type.String({ description: '`all`, `any`, `not`, or the field of a condition' }),
    status: oneOf(['matched', 'not_matched', 'skipped', 'unknown'] as const),
    operator: Type.Optional(Type.String()),
    expected: Type.Optional(Type.Unknown()),
    actual: Type.Optional(Type.Unknown()),
    children: Type.Optional(Type.Array(Type.Unknown({ description: 'Trace nodes of the same shape' }))),
  },
  { title: 'TraceNode' },
);

/** The policy that decided, with the trace of its conditions. */
export const EvaluationPolicy = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    version: Type.Integer(),
    action: PolicyAction,
    trace: TraceNode,
    suppressed_by: Type.Optional(
      Type.Object(
        { challenge: Type.String(), passed_at: Type.String({ format: 'date-time' }) },
        { description: 'The policy challenged, but this device passed the same challenge recently: allowed instead' },
      ),
    ),
  },
  { title: 'EvaluationPolicy' },
);

export const Evaluation = Type.Object(
  {
    id: Type.String(),
    object: Type.Literal('evaluation'),
    project: Type.String(),
    environment: Type.String(),
    action: Type.String(),
    verdict: VerdictName,
    user: Type.Object({
      vigil_id: Type.String(),
      rupt_id: Type.String({ description: 'Mirrors vigil_id for clients written for Rupt' }),
      id: Type.Union([Type.String(), Type.Null()], {
        description: "The application's id of the user; null for a signup made before the account had one (until your backend gives it one on consume)",
      }),
      email: Type.Union([Type.String(), Type.Null()]),
      phone: Type.Union([Type.String(), Type.Null()]),
    }),
    person: Type.Union([Type.String(), Type.Null()]),
    device: Type.Union([Type.String(), Type.Null()]),
    fingerprint: Type.Union([Type.String(), Type.Null()]),
    ip: Type.Union([Type.String(), Type.Null()]),
    ip_info: Type.Union([OpenObject, Type.Null()]),
    user_agent: Type.Union([Type.String(), Type.Null()]),
    origin: Type.Union([Type.String(), Type.Null()]),
    metadata: Metadata,
    policy: Type.Union([EvaluationPolicy, Type.Null()]),
    challenge: Type.Union([EvaluationChallenge, Type.Null()]),
    redirect: Type.Union([Type.String(), Type.Null()]),
    risk_summary: Type.Array(Type.Object({ category: Type.String(), severity: Severity })),
    risks: Type.Array(
      Type.Object({
        category: Type.String(),
        score: Type.Number(),
        severity: Severity,
        contributions: Type.Array(Type.Object({ check: Type.String(), weight: Type.Number() })),
      }),
    ),
    checks: Type.Record(Type.String(), Type.Union([Type.Boolean(), Type.Number(), Type.String()])),
    reasons: Type.Array(Type.String()),
    consumed: Type.Boolean(),
    consumed_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { title: 'Evaluation' },
);
export type Evaluation = Static<typeof Evaluation>;

export const ErrorReply = Type.Object(
  { error: Type.Object({ code: ErrorCodeName, message: Type.String(), request_id: Type.String() }) },
  { title: 'Error', description: 'Every 4xx and 5xx: a code from docs/errors.md, a message for people, the request id in the logs' },
);
