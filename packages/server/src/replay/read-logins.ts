import { readFile } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import { type LoginEvent, LoginEventError, loginEventOf, parseLoginLine } from './login-event.js';

export class LoginFileError extends Error {}

/** CSV headers that name the same field (`time` for `ts`, `user_agent` for `ua`…). */
const aliases: Record<string, string> = { user_id: 'user', time: 'ts', timestamp: 'ts', ip_address: 'ip', user_agent: 'ua', useragent: 'ua', result: 'outcome' };

/**
 * Every login of a JSONL file (one object a line) or a CSV file with a header row (`user,ts,ip,ua,outcome`;
 * csv-parse, so quoted user agents with commas are read whole). Validated whole before anything is used:
 * the first bad line stops the read with its line number.
 */
export async function readLogins(file: string, format: 'jsonl' | 'csv'): Promise<LoginEvent[]> {
  const text = await readFile(file, 'utf8');
  const logins: LoginEvent[] = [];
  if (format === 'jsonl') {
    const lines = text.split('\n');
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n]!.trim();
      if (line === '') continue;
      try {
        logins.push(parseLoginLine(line, logins.length));
      } catch (err) {
        if (err instanceof LoginEventError) throw new LoginFileError(`${file}:${n + 1}: ${err.message}`);
        throw err;
      }
    }
    return logins;
  }
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: (header: string[]) => header.map((h) => aliases[h.trim().toLowerCase()] ?? h.trim().toLowerCase()), skip_empty_lines: true, trim: true });
  } catch (err) {
    throw new LoginFileError(`${file}: not a CSV file with a header row (${err instanceof Error ? err.message : String(err)})`);
  }
  rows.forEach((row, n) => {
    try {
      const ts = /^\d+$/.test(row.ts ?? '') ? Number(row.ts) : row.ts;
      logins.push(loginEventOf({ ...row, ts, i: n }, n));
    } catch (err) {
      // The header is line 1.
      if (err instanceof LoginEventError) throw new LoginFileError(`${file}:${n + 2}: ${err.message}`);
      throw err;
    }
  });
  return logins;
}
