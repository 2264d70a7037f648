import Papa from 'papaparse';

// A list's entries as CSV and back, with one library (papaparse) both ways so what the dashboard exports
// it reads back unchanged: RFC 4180 quoting (a quote is doubled, never backslash-escaped), commas and
// line breaks inside a value kept.

export interface CsvEntry {
  value: string;
  expires_at: string | null;
  createdAt: string;
}

/**
 * A cell a spreadsheet would run as a formula: OWASP's = + - @ tab and carriage return, and their
 * full-width forms, which some spreadsheets read the same way. Papaparse's own pattern (`^[=+\-@\t\r].*$`)
 * misses a formula followed by a line break (`.` stops at it), hence ours.
 */
const FORMULA = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** The quote the export puts before such a cell, as OWASP recommends: the spreadsheet then shows text. */
const NEUTRALISED = /^'(?=[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20])/;

/** `value,expires_at,created_at` and a row per entry; a value that starts like a formula gets a leading `'`. */
export function entriesToCsv(entries: readonly CsvEntry[]): string {
  const rows = entries.map((e) => [e.value, e.expires_at ?? '', e.createdAt]);
  return `${Papa.unparse({ fields: ['value', 'expires_at', 'created_at'], data: rows }, { escapeFormulae: FORMULA, newline: '\r\n' })}\r\n`;
}

/**
 * The values of a CSV file (its first column; a first row `value` is a header) or of a plain file with
 * one value per line. The `'` the export put before a formula-like value is taken off, so an exported
 * list imports back to the same values (+4712345678 stays a phone number). The cost: a value that really
 * began with `'` and then = + - @ loses that quote; no kind of list value (emails, IPs, countries,
 * phones, ids the application makes) looks like that.
 */
export function valuesFromCsv(text: string): string[] {
  // The delimiter is fixed: guessing it would split a one-value-per-line file on a `;` or `|` in a value.
  const { data } = Papa.parse<string[]>(text, { delimiter: ',', skipEmptyLines: 'greedy' });
  const values = data.map((row) => (row[0] ?? '').trim().replace(NEUTRALISED, '')).filter((v) => v !== '');
  return values[0] === 'value' ? values.slice(1) : values;
}
