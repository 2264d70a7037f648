import { emptyProfile } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { parsedProfile } from './parsed-profile.js';

describe('parsedProfile', () => {
  it('parses a stored familiar set once when the same text comes twice, and anew when it changed', () => {
    const stored = JSON.stringify({ ...emptyProfile(), trustedLogins: 3 });
    const first = parsedProfile(stored);
    expect(first?.trustedLogins).toBe(3);
    // The same text read again (a copy, as a second read of the row gives): the same parse.
    expect(parsedProfile(stored.slice())).toBe(first);
    const changed = parsedProfile(JSON.stringify({ ...emptyProfile(), trustedLogins: 4 }));
    expect(changed?.trustedLogins).toBe(4);
    expect(parsedProfile(stored)).not.toBe(first);
    expect(parsedProfile(stored)?.trustedLogins).toBe(3);
  });

  it('keeps what is not a familiar set unparsed: null, and a damaged value', () => {
    expect(parsedProfile(null)).toBeNull();
    expect(parsedProfile('{"version":2}')).toBeNull();
    expect(parsedProfile('not json')).toBeNull();
  });
});
