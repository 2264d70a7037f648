import { beforeAll, describe, expect, it } from 'vitest';
import { Atlas } from './atlas.js';
import { type EventKind, generateStream, type Stream } from './generate.js';
import { UaCatalog } from './user-agents.js';

// One atlas and catalogue for every stream here: building the atlas is the slow part (seconds).
let atlas: Atlas;
let catalog: UaCatalog;
let stream: Stream;
const small = { users: 500, attacks: 400 };

beforeAll(() => {
  atlas = Atlas.build();
  catalog = UaCatalog.load();
  stream = generateStream({ seed: 1, ...small, atlas, uaCatalog: catalog });
}, 120_000);

describe('generateStream', () => {
  it('is deterministic: the same seed gives the same stream, another seed another', () => {
    const again = generateStream({ seed: 1, ...small, atlas, uaCatalog: catalog });
    expect(again).toEqual(stream);
    const other = generateStream({ seed: 2, ...small, atlas, uaCatalog: catalog });
    expect(other.events.map((e) => e.ip)).not.toEqual(stream.events.map((e) => e.ip));
  });

  it('has the requested size, sorted by time, i = position', () => {
    const { events, labels } = stream;
    const counts: Record<string, number> = {};
    for (const l of labels) counts[l.kind] = (counts[l.kind] ?? 0) + 1;
    expect(counts).toEqual({ legit: Math.round(500 * 15.6872), naive: 100, vpn: 100, targeted: 100, very_targeted: 100 });
    events.forEach((e, i) => {
      expect(e.i).toBe(i);
      expect(labels[i]!.i).toBe(i);
      expect(Object.keys(e)).toEqual(['i', 'ts', 'user', 'ip', 'ua']);
      if (i > 0) expect(e.ts >= events[i - 1]!.ts).toBe(true);
    });
    expect(events[0]!.ts >= '2026-01-01T00:00:00.000Z').toBe(true);
    expect(events.at(-1)!.ts < '2027-01-01T00:00:00.000Z').toBe(true);
    expect(new Set(events.map((e) => e.user)).size).toBe(500);
  });

  it('attacks victims with a prior legitimate login; targeted ones copy the last UA, very targeted its AS too', () => {
    const last = new Map<string, { ip: string; ua: string }>();
    const seen: Record<string, number> = {};
    for (const e of stream.events) {
      const kind: EventKind = stream.labels[e.i]!.kind;
      if (kind === 'legit') {
        last.set(e.user, { ip: e.ip, ua: e.ua });
        continue;
      }
      const prior = last.get(e.user);
      expect(prior).toBeDefined();
      seen[kind] = (seen[kind] ?? 0) + 1;
      const info = atlas.describe(e.ip);
      if (kind === 'targeted' || kind === 'very_targeted') expect(e.ua).toBe(prior!.ua);
      if (kind === 'very_targeted') {
        expect(e.ip).not.toBe(prior!.ip);
        expect(info?.asn).toBe(atlas.describe(prior!.ip)?.asn);
      }
      if (kind === 'vpn' || kind === 'targeted') expect(info?.country).toBe(atlas.describe(prior!.ip)?.country ?? info?.country);
      if (kind === 'vpn') expect(['vpn', 'hosting']).toContain(info?.type);
    }
    expect(seen).toEqual({ naive: 100, vpn: 100, targeted: 100, very_targeted: 100 });
  });
});
