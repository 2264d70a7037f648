import { describe, expect, it } from 'vitest';
import { parseSmtpUrl } from './smtp-url.js';

describe('SMTP URLs', () => {
  it('reads host, port, TLS and credentials, with the usual default ports', () => {
    expect(parseSmtpUrl('smtp://mail.example.com')).toEqual({ ok: true, server: { host: 'mail.example.com', port: 587, secure: false, user: null, pass: null } });
    expect(parseSmtpUrl('smtps://codes:p%40ss@Mail.Example.com/')).toEqual({
      ok: true,
      server: { host: 'mail.example.com', port: 465, secure: true, user: 'codes', pass: 'p@ss' },
    });
    expect(parseSmtpUrl('smtp://127.0.0.1:2525')).toMatchObject({ ok: true, server: { host: '127.0.0.1', port: 2525 } });
    expect(parseSmtpUrl('smtp://[2001:DB8::25]:25')).toMatchObject({ ok: true, server: { host: '2001:db8::25', port: 25 } });
  });

  it('refuses anything the mail library could read as an option, and hosts a resolver might read another way', () => {
    for (const [url, problem] of [
      ['smtp://x?sendmail=true&path=%2Fbin%2Fsh', /query string/],
      ['smtp://mail.example.com?', /query string/],
      ['smtp://mail.example.com#frag', /query string or fragment/],
      ['smtp://mail.example.com/etc', /path/],
      ['http://mail.example.com', /smtp:\/\//],
      ['not a url', /smtp:\/\//],
      ['smtp://exa%6dple.com', /host name/],
      ['smtp://mail.example.com:0', /port/],
      ['smtp://:secret@mail.example.com', /no user/],
      ['smtp://a%ZZ:b@mail.example.com', /percent-encoded/],
    ] as const) {
      const parsed = parseSmtpUrl(url);
      expect(parsed.ok, url).toBe(false);
      if (!parsed.ok) expect(parsed.problem, url).toMatch(problem);
    }
  });
});
