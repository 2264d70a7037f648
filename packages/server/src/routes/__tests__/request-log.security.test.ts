import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, bearer, createHarness } from '../../test-support/harness.js';

// Bug: Fastify's request log printed `req.url` whole, query string included, so the challenge page's
// signed link (`/challenge/ch_…?t=…`) and the first operator's setup link (`/dashboard/setup?token=…`)
// were written to the log, where anyone who reads it could use them.

let h: Harness;
const lines: string[] = [];
beforeAll(async () => {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  h = await createHarness({ logger: true, logStream: stream, env: { LOG_LEVEL: 'info' } });
});
afterAll(() => h.close());

describe('the request log', () => {
  it('logs paths without their query string, and no headers', async () => {
    const requests = [
      { method: 'GET', url: '/challenge/ch_x?t=secret-challenge-token&r=https%3A%2F%2Fapp.example' },
      { method: 'GET', url: '/dashboard/setup?token=secret-setup-token' },
      { method: 'GET', url: '/challenge/%ff?t=secret-in-a-bad-url' },
      { method: 'GET', url: '/nope?token=secret-on-a-404' },
      { method: 'GET', url: '/v3/policies?after=secret-in-an-api-query', headers: { ...bearer(h.project.secretKey), cookie: 'vigil_session=secret-cookie' } },
    ] as const;
    for (const request of requests) await h.inject(request);
    const log = lines.join('');
    // The requests were logged (by path), so the absence below is not an empty log.
    for (const path of ['/challenge/ch_x', '/dashboard/setup', '/challenge/%ff', '/nope', '/v3/policies']) expect(log).toContain(`"url":"${path}"`);
    for (const secret of [
      'secret-challenge-token',
      'app.example',
      'secret-setup-token',
      'secret-in-a-bad-url',
      'secret-on-a-404',
      'secret-in-an-api-query',
      'secret-cookie',
      h.project.secretKey,
    ]) {
      expect(log).not.toContain(secret);
    }
    expect(log).not.toContain('"headers"');
  });
});
