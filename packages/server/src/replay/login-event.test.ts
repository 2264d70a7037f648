import { describe, expect, it } from 'vitest';
import { LoginEventError, parseLoginLine } from './login-event.js';

// The lines `vigil replay` and `vigil import` read: what is accepted as given, and what is refused.
describe('a login line', () => {
  it('takes its fields as given, a numeric user as its decimal string, and echoes i whatever its kind', () => {
    expect(parseLoginLine('{"i":7,"ts":"2026-03-01T08:15:00Z","user":"u1","ip":"84.208.1.1","ua":"x"}', 0)).toEqual({
      i: 7,
      at: Date.UTC(2026, 2, 1, 8, 15),
      user: 'u1',
      ip: '84.208.1.1',
      ua: 'x',
    });
    expect(parseLoginLine('{"i":"row-9","ts":1767225600000,"user":42}', 3)).toEqual({ i: 'row-9', at: 1767225600000, user: '42', ip: null, ua: null });
    expect(parseLoginLine('{"ts":"2026-03-01T08:15:00+01:00","user":"u","outcome":"success"}', 5)).toMatchObject({ i: 5, at: Date.UTC(2026, 2, 1, 7, 15), outcome: 'success' });
  });

  it('refuses what is not a login, saying which field', () => {
    const refused = (line: string) => {
      try {
        parseLoginLine(line, 0);
        return null;
      } catch (err) {
        expect(err).toBeInstanceOf(LoginEventError);
        return (err as Error).message;
      }
    };
    expect(refused('not json')).toBe('not a JSON object');
    expect(refused('[1,2]')).toBe('not a JSON object');
    expect(refused('{"ts":"2026-03-01T08:15:00Z"}')).toMatch(/"user" must be/);
    expect(refused('{"ts":"2026-03-01T08:15:00Z","user":1.5}')).toMatch(/"user" must be/);
    expect(refused('{"ts":"yesterday","user":"u"}')).toMatch(/"ts" must be an ISO 8601 time/);
    expect(refused('{"ts":"2026-03-01T08:15:00Z","user":"u","ip":7}')).toMatch(/"ip" must be a string/);
    expect(refused('{"ts":"2026-03-01T08:15:00Z","user":"u","i":{"a":1}}')).toMatch(/"i" must be an integer or a string/);
  });
});
