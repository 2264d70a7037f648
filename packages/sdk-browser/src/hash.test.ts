import { describe, expect, it } from 'vitest';
import { canonicalJson, hash128 } from './hash.js';

describe('hash128', () => {
  it('is 32 hex characters, deterministic, and sensitive to every character', () => {
    const a = hash128('Europe/Oslo|nb-NO|MacIntel');
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(hash128('Europe/Oslo|nb-NO|MacIntel')).toBe(a);
    expect(hash128('Europe/Oslo|nb-NO|MacIntem')).not.toBe(a);
    expect(hash128('')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('spreads near-identical inputs over distinct hashes', () => {
    const hashes = new Set(Array.from({ length: 10_000 }, (_, i) => hash128(`attributes-${i}`)));
    expect(hashes.size).toBe(10_000);
  });
});

describe('canonicalJson', () => {
  it('orders keys at every depth, so attribute order never changes the fingerprint', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it('writes undefined as null rather than dropping it', () => {
    expect(canonicalJson([undefined])).toBe('[null]');
  });
});
