import { readFileSync } from 'node:fs';
import { ReferenceFiles } from '../data/reference-files.js';
import { getDomain } from 'tldts';
import validator from 'validator';

export interface EmailFacts {
  valid: boolean;
  /** The registrable domain (public suffix aware, lower case): `mail.example.co.uk` → `example.co.uk`. */
  domain: string | null;
  disposable: boolean;
  webmail: boolean;
}

function readList(path: string): Set<string> {
  const set = new Set<string>();
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim().toLowerCase();
    if (line !== '' && !line.startsWith('#')) set.add(line);
  }
  return set;
}

/**
 * Disposable and webmail domains, matched on the registrable domain so that `mx.<disposable>` and upper
 * case are caught, with the maintainers' allowlist winning. Syntax by validator.js, not a home-made
 * regex; the registrable domain by tldts over the public suffix list (private suffixes too, so a
 * throwaway `x.dynv6.net` is its own domain, not all of dynv6.net).
 */
export class EmailIntel {
  private constructor(
    private readonly disposable: Set<string>,
    private readonly allow: Set<string>,
    private readonly webmail: Set<string>,
    private readonly snapshots: { disposable: string; allow: string; webmail: string },
  ) {}

  /** The lists, their sizes and snapshot dates. */
  info(): { name: string; entries: number; snapshot: string }[] {
    return [
      { name: 'disposable_email', entries: this.disposable.size, snapshot: this.snapshots.disposable },
      { name: 'email_allowlist', entries: this.allow.size, snapshot: this.snapshots.allow },
      { name: 'webmail', entries: this.webmail.size, snapshot: this.snapshots.webmail },
    ];
  }

  static load(files: ReferenceFiles = ReferenceFiles.at(null)): EmailIntel {
    return new EmailIntel(
      readList(files.path('disposable_email', 'email/disposable_blocklist.conf')),
      readList(files.path('email_allowlist', 'email/allowlist_hard_negatives.txt')),
      readList(files.path('webmail', 'email/freemail_free.txt')),
      {
        disposable: files.snapshot('disposable_email', '2026-08-21'),
        allow: files.snapshot('email_allowlist', '2026-04-12'),
        webmail: files.snapshot('webmail', '2020-07-03'),
      },
    );
  }

  classify(email: string): EmailFacts {
    const text = email.trim();
    const valid = validator.isEmail(text, { allow_utf8_local_part: true, require_tld: true, allow_ip_domain: false, allow_display_name: false });
    const at = text.lastIndexOf('@');
    const host =
      at > 0
        ? text
            .slice(at + 1)
            .toLowerCase()
            .replace(/\.$/, '')
        : '';
    const domain = host ? getDomain(host, { allowPrivateDomains: true }) : null;
    const names = domain && domain !== host ? [host, domain] : domain ? [domain] : [];
    const listed = (set: Set<string>) => names.some((n) => set.has(n));
    return {
      valid,
      domain,
      disposable: !listed(this.allow) && listed(this.disposable),
      webmail: listed(this.webmail),
    };
  }
}
