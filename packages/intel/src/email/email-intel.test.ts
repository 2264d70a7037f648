import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledDataDir } from '../data-dir.js';
import { EmailIntel } from './email-intel.js';

let intel: EmailIntel;
beforeAll(() => {
  intel = EmailIntel.load();
});
const lines = (file: string) =>
  readFileSync(join(bundledDataDir, file), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

describe('EmailIntel', () => {
  it('checks syntax with validator.js', () => {
    for (const good of ['alice@example.com', 'a.b+tag@sub.example.co.uk', 'ünïcødé@example.com']) expect(intel.classify(good).valid, good).toBe(true);
    for (const bad of ['alice', 'alice@', '@example.com', 'a@b', 'a b@example.com', 'alice@[127.0.0.1]', 'Alice <alice@example.com>'])
      expect(intel.classify(bad).valid, bad).toBe(false);
  });

  it('finds the registrable domain through the public suffix list', () => {
    expect(intel.classify('a@mail.example.co.uk').domain).toBe('example.co.uk');
    expect(intel.classify('a@EXAMPLE.COM').domain).toBe('example.com');
  });

  it('catches disposable domains in subdomains and upper case, and lets the allowlist win', () => {
    const disposable = lines('email/disposable_blocklist.conf');
    expect(intel.classify(`x@${disposable[0]}`).disposable).toBe(true);
    expect(intel.classify(`x@MX.${disposable[0]!.toUpperCase()}`).disposable).toBe(true);
    expect(intel.classify('x@example.com').disposable).toBe(false);
    const allowed = lines('email/allowlist_hard_negatives.txt');
    for (const domain of allowed) expect(intel.classify(`x@${domain}`).disposable, domain).toBe(false);
  });

  it('knows webmail providers', () => {
    expect(intel.classify('x@gmail.com')).toMatchObject({ webmail: true, disposable: false, valid: true });
    expect(intel.classify('x@example.com').webmail).toBe(false);
  });

  it('measures itself over the lists: every listed disposable domain caught, no hard negative flagged', () => {
    const disposable = lines('email/disposable_blocklist.conf');
    const caught = disposable.filter((d) => intel.classify(`user@${d}`).disposable).length;
    const allowed = lines('email/allowlist_hard_negatives.txt');
    const falsePositives = allowed.filter((d) => intel.classify(`user@${d}`).disposable).length;
    const webmail = lines('email/freemail_free.txt');
    const webmailFlaggedDisposable = webmail.filter((d) => intel.classify(`user@${d}`).disposable).length / webmail.length;
    console.log(
      `email: disposable recall ${caught}/${disposable.length}, hard negatives flagged ${falsePositives}/${allowed.length}, webmail flagged disposable ${(webmailFlaggedDisposable * 100).toFixed(1)}%`,
    );
    // Some listed entries are themselves below a registrable domain the allowlist keeps: those stay allowed.
    expect(caught / disposable.length).toBeGreaterThan(0.99);
    expect(falsePositives).toBe(0);
  });
});
