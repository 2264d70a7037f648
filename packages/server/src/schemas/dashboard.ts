import { type Static, Type } from 'typebox';

// What the dashboard API answers (operator session): documented in the OpenAPI document like the rest,
// so that the dashboard's types are generated from it rather than restated.

const Time = Type.String({ format: 'date-time' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Counts = Type.Record(Type.String(), Type.Integer());
const Page = <T extends ReturnType<typeof Type.Object>>(row: T) =>
  Type.Object({ data: Type.Array(row), next: Type.Union([Type.String({ description: 'The cursor of the next page (`after`), or null at the end' }), Type.Null()]) });

export const SessionReply = Type.Object({
  operator: Type.Object({ email: Type.String() }),
  csrf: Type.String({ description: 'Send it back in `x-vigil-csrf` on every call' }),
  projects: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), client_id: Type.String(), allowed_origins: Type.Array(Type.String()) })),
});

export const InstanceReply = Type.Object({
  sms: Type.Union([
    Type.Object({ gateway: Type.Literal('twilio'), from: Type.String() }),
    Type.Object({ gateway: Type.Literal('file'), path: Type.String() }),
    Type.Object({ gateway: Type.Literal('console') }),
    Type.Object({ gateway: Type.Literal('none') }),
  ]),
  retention_days: Type.Integer(),
});

export const OverviewReply = Type.Object({
  days: Type.Array(Type.Object({ date: Type.String({ description: 'YYYY-MM-DD (UTC)' }), verdicts: Counts, severities: Counts })),
  totals: Counts,
  sample: Type.Integer({ description: 'How many of the latest evaluations top_reasons and risk_severities count' }),
  top_reasons: Type.Array(Type.Object({ reason: Type.String(), count: Type.Integer() })),
  risk_severities: Type.Record(Type.String(), Counts),
});

export const EvaluationPage = Page(
  Type.Object({
    id: Type.String(),
    created_at: Time,
    action: Type.String(),
    verdict: Type.String(),
    user: Type.String(),
    ip: Nullable(Type.String()),
    country: Nullable(Type.String()),
    policy: Nullable(Type.String()),
    risks: Type.Array(Type.Object({ category: Type.String(), severity: Type.String() })),
    reasons: Type.Array(Type.String()),
  }),
);

export const ChallengePage = Page(
  Type.Object({
    id: Type.String(),
    created_at: Time,
    updated_at: Time,
    user: Type.String(),
    evaluation: Type.String(),
    type: Type.String(),
    method: Type.String(),
    channels: Type.Array(Type.String()),
    reasons: Type.Array(Type.String()),
    status: Type.String(),
  }),
);

const DeviceDescription = {
  device_class: Nullable(Type.String()),
  browser: Nullable(Type.String()),
  os: Nullable(Type.String()),
};

export const DevicePage = Page(
  Type.Object({
    id: Type.String(),
    ...DeviceDescription,
    first_seen_at: Time,
    last_seen_at: Time,
    user_count: Type.Integer(),
    users: Type.Array(Type.String(), { description: 'A few of its users, most recent first' }),
  }),
);

/** How often and when a user's trusted logins had one value, and whether the evaluation asked about had it. */
const familiar = {
  count: Type.Integer({ description: 'Trusted logins with this value' }),
  first_seen_at: Time,
  last_seen_at: Time,
  this_login: Type.Boolean({ description: 'The login of the evaluation named in `evaluation` had this value (false without one)' }),
};

export const Familiarity = Type.Object({
  trusted_logins: Type.Integer({ description: 'Trusted logins learned (0: nothing learned yet, and the familiarity checks are absent)' }),
  last_trusted_at: Nullable(Time),
  pending: Type.Integer({ description: 'Logins held apart until the backend consumes them or their challenge is passed' }),
  networks: Type.Object({
    asns: Type.Array(Type.Object({ asn: Type.Integer(), org: Nullable(Type.String()), ...familiar })),
    prefixes: Type.Array(Type.Object({ prefix: Type.String({ description: 'A /24 (IPv4) or /48 (IPv6)' }), ...familiar })),
    countries: Type.Array(Type.Object({ country: Type.String(), ...familiar })),
    cities: Type.Array(Type.Object({ latitude: Type.Number(), longitude: Type.Number(), ...familiar }, { description: 'Places a quarter degree apart' })),
    ips: Type.Array(Type.Object({ ip: Type.String(), ...familiar })),
  }),
  browsers: Type.Object({
    browsers: Type.Array(Type.Object({ browser: Type.String(), ...familiar })),
    oses: Type.Array(Type.Object({ os: Type.String(), ...familiar })),
    device_classes: Type.Array(Type.Object({ device_class: Type.String(), ...familiar })),
    user_agents: Type.Array(Type.Object({ user_agent: Type.String(), ...familiar })),
  }),
});
export type Familiarity = Static<typeof Familiarity>;

export const RotatedKeyReply = Type.Object({ secret_key: Type.String({ description: 'Shown this once' }), grace_hours: Type.Integer() });

const sharedThing = {
  kind: Type.Union([Type.Literal('device'), Type.Literal('fingerprint')]),
  id: Type.String(),
  device_class: Type.Optional(Nullable(Type.String())),
  browser: Type.Optional(Nullable(Type.String())),
  os: Type.Optional(Nullable(Type.String())),
  fingerprint: Type.Optional(Nullable(Type.String())),
  user_count: Type.Integer(),
  last_seen_at: Time,
};
const SharedThing = Type.Object(sharedThing);

export const LinksReply = Type.Union([
  Type.Object({
    user: Type.String(),
    accounts: Type.Array(Type.Object({ user: Type.String(), email: Nullable(Type.String()), is_suspended: Type.Boolean(), depth: Type.Integer() })),
    shared: Type.Array(SharedThing),
    sightings: Type.Array(
      Type.Object({ user: Type.String(), kind: Type.Union([Type.Literal('device'), Type.Literal('fingerprint')]), thing: Type.String(), first_seen_at: Time, last_seen_at: Time }),
    ),
    truncated: Type.Boolean(),
    people: Type.Object({
      count: Type.Integer(),
      devices: Type.Array(Type.Object({ id: Type.String(), ...DeviceDescription, first_seen_at: Time, last_seen_at: Time })),
      conflicts: Type.Array(Type.Object({ a: Type.String(), b: Type.String(), first_seen_at: Time })),
    }),
  }),
  Type.Object({ shared: Type.Array(Type.Object({ ...sharedThing, users: Type.Array(Type.String()) })) }),
]);

export const OperatorReply = Type.Object({ id: Type.String(), email: Type.String(), created_at: Time, last_login_at: Nullable(Time), you: Type.Boolean() });
export const OperatorListReply = Type.Object({ data: Type.Array(OperatorReply) });
