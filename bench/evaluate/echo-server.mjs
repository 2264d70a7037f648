// The baseline for the evaluate bench, as the throughput issue measured it: a bare Fastify 5 server
// parsing and validating an evaluation-shaped JSON body against a JSON Schema and serializing a small
// reply through a response schema. Bare: no logger (Vigil's request log is part of what Vigil costs,
// and is measured as such). Plain JS so that `node` runs it with nothing in between.
// Prints `listening on <url>` once it listens (port 0: the kernel picks a free one).
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

// The same Fastify that Vigil runs: resolved from the server package, not whichever copy is nearest.
const require = createRequire(new URL('../../packages/server/package.json', import.meta.url));
const { default: Fastify } = await import(require.resolve('fastify'));

const text = (maxLength) => ({ type: 'string', minLength: 1, maxLength });
const body = {
  type: 'object',
  additionalProperties: false,
  required: ['action', 'user'],
  properties: {
    action: { type: 'string', maxLength: 64, pattern: '^[a-z][a-z0-9_.:-]{0,63}$' },
    user: text(256),
    email: { anyOf: [text(320), { type: 'null' }] },
    ip: text(64),
    fingerprint: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' },
    user_agent: { type: 'string', maxLength: 2048 },
    metadata: {
      type: 'object',
      maxProperties: 50,
      propertyNames: { minLength: 1, maxLength: 64 },
      additionalProperties: { anyOf: [{ type: 'string', maxLength: 1024 }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }] },
    },
  },
};
const reply = {
  type: 'object',
  additionalProperties: false,
  properties: { id: { type: 'string' }, verdict: { type: 'string' }, action: { type: 'string' }, user: { type: 'string' }, created_at: { type: 'string' } },
};

const app = Fastify({ logger: false });
app.post('/v3/evaluations', { schema: { body, response: { 201: reply } } }, async (request, res) => {
  const { action, user } = request.body;
  return res.status(201).send({ id: `ev_${randomUUID()}`, verdict: 'allow', action, user, created_at: new Date().toISOString() });
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(`listening on ${address}`);
