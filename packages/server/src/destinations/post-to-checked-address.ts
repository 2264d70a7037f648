import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

/** The answer's status, or why there was none. Only the status is read: the body is never looked at. */
export type PostOutcome = { status: number } | { error: 'timeout' | 'connection'; detail: string };

/**
 * POSTs to `url`, connecting to `target` (the address resolveDestination checked) whatever the name
 * resolves to by now: the `lookup` hook answers with that address, so a second DNS answer (rebinding)
 * is never asked for. The URL's host still goes in the Host header and, for https, in SNI and the
 * certificate check. Redirects are not followed (node's request never does), each request has its own
 * connection (a pooled one could have been opened to another address), and the whole exchange has
 * `timeoutMs`.
 */
export function postToCheckedAddress(
  url: URL,
  target: { address: string; family: 4 | 6 },
  init: { headers: Record<string, string>; body: string; timeoutMs: number },
): Promise<PostOutcome> {
  return new Promise((resolve) => {
    const pinned: LookupFunction = (_host, options, callback) => {
      if (options.all) callback(null, [{ address: target.address, family: target.family }]);
      else callback(null, target.address, target.family);
    };
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(url, { method: 'POST', headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) }, lookup: pinned, agent: false }, (res) => {
      clearTimeout(timer);
      resolve({ status: res.statusCode ?? 0 });
      res.destroy();
    });
    const timer = setTimeout(() => {
      resolve({ error: 'timeout', detail: `no answer within ${init.timeoutMs} ms` });
      req.destroy();
    }, init.timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      resolve({ error: 'connection', detail: error.message });
    });
    req.end(init.body);
  });
}
