import { emptyProfile } from '@vigil/core';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PARSED_PROFILES_KEPT, keepParsedProfiles, parsedProfile, profileText } from './parsed-profile.js';

describe('parsedProfile', () => {
  afterEach(() => keepParsedProfiles(DEFAULT_PARSED_PROFILES_KEPT));

  it('parses a stored familiar set once, whatever copy of the text comes, and each different text on its own', () => {
    const stored = JSON.stringify({ ...emptyProfile(), trustedLogins: 3 });
    const first = parsedProfile(stored);
    expect(first?.trustedLogins).toBe(3);
    // The same text read again (a copy, as a second read of the row gives): the same parse.
    expect(parsedProfile(stored.slice())).toBe(first);
    const changed = parsedProfile(JSON.stringify({ ...emptyProfile(), trustedLogins: 4 }));
    expect(changed?.trustedLogins).toBe(4);
    expect(parsedProfile(stored)).toBe(first);
  });

  it('finds the text a login wrote already parsed: the profile it was written from', () => {
    const next = { ...emptyProfile(), trustedLogins: 7, lastTrustedAt: 1_800_000_000_000 };
    const text = profileText(next);
    expect(JSON.parse(text)).toEqual(next);
    expect(parsedProfile(`${text} `.trimEnd())).toBe(next);
  });

  it("does not keep a new user's first familiar set as it is written, only once it is read back", () => {
    const first = { ...emptyProfile(), trustedLogins: 1, lastTrustedAt: 1_800_000_000_000 };
    const text = profileText(first);
    const read = parsedProfile(text);
    expect(read).not.toBe(first);
    expect(read).toEqual(first);
    expect(parsedProfile(text)).toBe(read);
  });

  it('keeps at most as many as it is told, least recently used going first, and none when told 0', () => {
    keepParsedProfiles(2);
    const texts = [1, 2, 3].map((n) => JSON.stringify({ ...emptyProfile(), trustedLogins: n }));
    const [one, two] = [parsedProfile(texts[0]!), parsedProfile(texts[1]!)];
    expect(parsedProfile(texts[0]!)).toBe(one);
    parsedProfile(texts[2]!);
    // The third pushed out the least recently used: the second.
    expect(parsedProfile(texts[0]!)).toBe(one);
    const again = parsedProfile(texts[1]!);
    expect(again).not.toBe(two);
    expect(again).toEqual(two);
    keepParsedProfiles(0);
    const once = parsedProfile(texts[2]!);
    expect(parsedProfile(texts[2]!)).not.toBe(once);
    expect(parsedProfile(profileText(once!))).not.toBe(once);
  });

  it('keeps what is not a familiar set unparsed: null, and a damaged value', () => {
    expect(parsedProfile(null)).toBeNull();
    expect(parsedProfile('{"version":2}')).toBeNull();
    expect(parsedProfile('not json')).toBeNull();
  });
});
