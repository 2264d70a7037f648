import { Type } from 'typebox';
import { PolicyAction } from './policy-action.js';

// Policies are checked by core's validatePolicy, which names the condition that is wrong
// (`conditions.any[1].all[0]: unknown check "is_new_ipp" (did you mean "is_new_ip"?)`); a JSON-schema
// union error would only say "must match a schema in anyOf". So the request body is an open object
// here, and the shape is documented on the reply.
export const PolicyBody = Type.Object({}, { additionalProperties: true, description: 'A policy: name, events, priority, enabled, conditions, action (SPEC §6)' });

export const PolicyIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

const Open = Type.Object({}, { additionalProperties: true });

export const PolicyReply = Type.Object(
  {
    id: Type.String(),
    object: Type.Literal('policy'),
    environment: Type.String(),
    name: Type.String(),
    events: Type.Array(Type.String()),
    priority: Type.Integer(),
    enabled: Type.Boolean(),
    conditions: Type.Object(
      {},
      { additionalProperties: true, description: 'A condition tree: { field, operator, value?, params? }, { all: [...] }, { any: [...] } or { not: ... } (docs/policies.md)' },
    ),
    action: PolicyAction,
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { title: 'Policy' },
);

export const PolicyListReply = Type.Object({ object: Type.Literal('list'), data: Type.Array(PolicyReply) });

export const PolicyVersionsReply = Type.Object({
  object: Type.Literal('list'),
  data: Type.Array(Type.Object({ version: Type.Integer(), policy: Open, createdAt: Type.String({ format: 'date-time' }) })),
});
