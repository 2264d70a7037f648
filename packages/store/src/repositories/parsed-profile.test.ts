import { emptyProfile } from '@vigil/core';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PARSED_PROFILES_KEPT, keepParsedProfiles, parsedProfile, profileText } from './parsed-profile.js';

describe('parsedProfile', () => {
  afterEach(() => keepParsedProfiles(DEFAULT_PARSED_PROFILES_KEPT));

  it("parses a user's stored familiar set once, whatever copy of the text comes, and a different text anew", () => {
    const stored = JSON.stringify({ ...emptyProfile(), trustedLogins: 3 });
    const first = parsedProfile(stored, 'us_1');
    expect(first?.trustedLogins).toBe(3);
    // The same text read again (a copy, as a second read of the row gives): the same parse.
    expect(parsedProfile(stored.slice(), 'us_1')).toBe(first);
    // Another user with the same text has their own.
    expect(parsedProfile(stored, 'us_2')).toEqual(first);
    // The row changed under the kept one (another node wrote it): parsed from what the row holds.
    const changed = parsedProfile(JSON.stringify({ ...emptyProfile(), trustedLogins: 4 }), 'us_1');
    expect(changed?.trustedLogins).toBe(4);
    expect(parsedProfile(stored, 'us_1')).not.toBe(first);
    expect(parsedProfile(stored, 'us_1')?.trustedLogins).toBe(3);
    // Without an owner, nothing is kept.
    const loose = parsedProfile(stored);
    expect(parsedProfile(stored)).not.toBe(loose);
  });

  it('finds the text a login wrote already parsed: the profile it was written from, for the same user', () => {
    const read = parsedProfile(JSON.stringify({ ...emptyProfile(), trustedLogins: 6 }), 'us_1')!;
    const next = { ...read, trustedLogins: 7, lastTrustedAt: 1_800_000_000_000 };
    const text = profileText(next, read);
    expect(JSON.parse(text)).toEqual(next);
    expect(parsedProfile(`${text} `.trimEnd(), 'us_1')).toBe(next);
    expect(parsedProfile(text, 'us_2')).not.toBe(next);
    // Learned from a set nobody owns (none was read for a user): not kept.
    const unowned = { ...next, trustedLogins: 8 };
    const unownedText = profileText(unowned, parsedProfile(text));
    expect(parsedProfile(unownedText, 'us_3')).not.toBe(unowned);
  });

  it("does not keep a new user's first familiar set as it is written, only once it is read back", () => {
    const empty = parsedProfile(JSON.stringify(emptyProfile()), 'us_1');
    const first = { ...emptyProfile(), trustedLogins: 1, lastTrustedAt: 1_800_000_000_000 };
    const text = profileText(first, empty);
    const read = parsedProfile(text, 'us_1');
    expect(read).not.toBe(first);
    expect(read).toEqual(first);
    expect(parsedProfile(text, 'us_1')).toBe(read);
  });

  it('keeps at most as many users as it is told, least recently used going first, and none when told 0', () => {
    keepParsedProfiles(2);
    const texts = [1, 2, 3].map((n) => JSON.stringify({ ...emptyProfile(), trustedLogins: n }));
    const [one, two] = [parsedProfile(texts[0]!, 'us_1'), parsedProfile(texts[1]!, 'us_2')];
    expect(parsedProfile(texts[0]!, 'us_1')).toBe(one);
    parsedProfile(texts[2]!, 'us_3');
    // The third pushed out the least recently used: the second.
    expect(parsedProfile(texts[0]!, 'us_1')).toBe(one);
    const again = parsedProfile(texts[1]!, 'us_2');
    expect(again).not.toBe(two);
    expect(again).toEqual(two);
    keepParsedProfiles(0);
    const once = parsedProfile(texts[2]!, 'us_3');
    expect(parsedProfile(texts[2]!, 'us_3')).not.toBe(once);
    expect(parsedProfile(profileText(once!, once), 'us_3')).not.toBe(once);
  });

  it('keeps what is not a familiar set unparsed: null, and a damaged value', () => {
    expect(parsedProfile(null, 'us_1')).toBeNull();
    expect(parsedProfile('{"version":2}', 'us_1')).toBeNull();
    expect(parsedProfile('not json', 'us_1')).toBeNull();
  });
});
