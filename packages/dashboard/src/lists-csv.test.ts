import { describe, expect, it } from 'vitest';
import { entriesToCsv, valuesFromCsv } from '../app/src/lists/csv.js';

// The Lists page's CSV export and import (app/src/lists/csv.ts). The app's folder is outside the test
// glob (packages/*/src), so its test lives here.
const entry = (value: string) => ({ value, expires_at: null, createdAt: '2026-11-25T12:00:00.000Z' });

describe("a list's CSV", () => {
  // Bug: values were written with JSON.stringify, so a quote became \" (not CSV: a spreadsheet reads
  // `"say \"hi\""` as broken cells) and a backslash was doubled.
  it('quotes as RFC 4180 does: a quote doubled, commas and line breaks kept inside the cell', () => {
    const csv = entriesToCsv([entry('say "hi"'), entry('a,b'), entry('two\nlines'), entry('back\\slash')]);
    expect(csv).toBe(
      'value,expires_at,created_at\r\n' +
        '"say ""hi""",,2026-11-25T12:00:00.000Z\r\n' +
        '"a,b",,2026-11-25T12:00:00.000Z\r\n' +
        '"two\nlines",,2026-11-25T12:00:00.000Z\r\n' +
        'back\\slash,,2026-11-25T12:00:00.000Z\r\n',
    );
  });

  // Bug: a value starting with = + - @ (or tab, CR) was a live formula when the file was opened in a
  // spreadsheet (`=HYPERLINK(…)` added to a list by a policy from user input, say).
  it('neutralises every cell a spreadsheet would run as a formula with a leading quote', () => {
    const risky = ['=1+1', '+4712345678', '-2', '@SUM(A1)', '\tx', '\rx', '＝1+1', '=cmd\n|x'];
    const csv = entriesToCsv(risky.map(entry));
    const cells = csv
      .split('\r\n')
      .slice(1, -1)
      .map((row) => row.slice(0, row.lastIndexOf(',,')));
    expect(cells).toEqual(['"\'=1+1"', '"\'+4712345678"', '"\'-2"', '"\'@SUM(A1)"', '"\'\tx"', '"\'\rx"', '"\'＝1+1"', '"\'=cmd\n|x"']);
    expect(entriesToCsv([entry('ok=1'), entry('a-b')])).not.toContain("'");
  });

  it('reads back what it exports, quotes, commas, line breaks and neutralised values included', () => {
    const values = ['say "hi"', 'a,b', 'two\nlines', '=1+1', '+4712345678', '-2', '@x', "it's", "'plain"];
    expect(valuesFromCsv(entriesToCsv(values.map(entry)))).toEqual(values);
  });

  it('reads a plain file of one value per line, or the first column of a CSV, without a header', () => {
    expect(valuesFromCsv('203.0.113.7\n198.51.100.0/24\r\n\n  spaced  \n')).toEqual(['203.0.113.7', '198.51.100.0/24', 'spaced']);
    expect(valuesFromCsv('value,note\r\n"a@example.com",first\r\nb@example.com,"second, with comma"\r\n')).toEqual(['a@example.com', 'b@example.com']);
    // A semicolon in a value is part of it, not a delimiter.
    expect(valuesFromCsv('a;b\nc;d\n')).toEqual(['a;b', 'c;d']);
  });
});
