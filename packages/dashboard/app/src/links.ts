// The people page's data: what /dashboard/api/projects/:p/links answers (types generated from the OpenAPI document).
import type { Reply } from './api.js';

type WithAccount = Extract<Reply<'/dashboard/api/projects/{project}/links', 'get'>, { user: string }>;
/** Around one account: the graph, the shared things and the people behind it. */
export type Links = WithAccount;
/** A device or fingerprint more than one account used. */
export type SharedThing = WithAccount['shared'][number];
/** Without an account: the shared things with a few of their accounts. */
export type SharedWithAccounts = Extract<Reply<'/dashboard/api/projects/{project}/links', 'get'>, { shared: unknown; user?: never }>['shared'][number];

/** A device or fingerprint in a few words: "computer · Chrome on Windows", "fingerprint 3fa2c1d0". */
export function thingLabel(t: { kind?: string; device_class?: string | null; browser?: string | null; os?: string | null; fingerprint?: string | null }): string {
  if (t.kind === 'fingerprint') return `fingerprint ${(t.fingerprint ?? '').slice(0, 8)}`;
  const what = [t.browser, t.os ? `on ${t.os}` : null].filter(Boolean).join(' ');
  return `${t.device_class ?? 'device'}${what ? ` · ${what}` : ''}`;
}
