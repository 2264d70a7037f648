// The people page's data: what /dashboard/api/projects/:p/links answers.

export interface SharedThing {
  kind: 'device' | 'fingerprint';
  id: string;
  device_class?: string | null;
  browser?: string | null;
  os?: string | null;
  fingerprint?: string | null;
  user_count: number;
  last_seen_at: string;
}

export interface DeviceOfAccount {
  id: string;
  device_class: string | null;
  browser: string | null;
  os: string | null;
  first_seen_at: string;
  last_seen_at: string;
}

export interface Links {
  user: string;
  accounts: { user: string; email: string | null; is_suspended: boolean; depth: number }[];
  shared: SharedThing[];
  sightings: { user: string; kind: 'device' | 'fingerprint'; thing: string; first_seen_at: string; last_seen_at: string }[];
  truncated: boolean;
  people: { count: number; devices: DeviceOfAccount[]; conflicts: { a: string; b: string; first_seen_at: string }[] };
}

/** A device or fingerprint in a few words: "computer · Chrome on Windows", "fingerprint 3fa2c1d0". */
export function thingLabel(t: { kind?: string; device_class?: string | null; browser?: string | null; os?: string | null; fingerprint?: string | null }): string {
  if (t.kind === 'fingerprint') return `fingerprint ${(t.fingerprint ?? '').slice(0, 8)}`;
  const what = [t.browser, t.os ? `on ${t.os}` : null].filter(Boolean).join(' ');
  return `${t.device_class ?? 'device'}${what ? ` · ${what}` : ''}`;
}
