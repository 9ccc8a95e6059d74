import { ZOtpUserEmail } from '@otp-access/validators';

export interface ParsedEmails {
  /** Valid, lower-cased, each once. */
  valid: string[];
  /** Tokens that look like an email but are not one. */
  invalid: string[];
  /** How many repeats were merged. */
  duplicates: number;
}

/**
 * Emails out of pasted text or a CSV file: separated by new lines, commas, semicolons, tabs or
 * spaces, optionally quoted. Cells without an `@` (a header, a name, a number) are not emails and
 * are left out; everything with one is checked with the API's own email schema.
 */
export function parseEmails(text: string): ParsedEmails {
  const seen = new Set<string>();
  const invalid: string[] = [];
  let duplicates = 0;
  for (const raw of text.split(/[\s,;]+/)) {
    const token = raw.replace(/^["'<(]+|[">)']+$/g, '');
    if (!token.includes('@')) continue;
    const parsed = ZOtpUserEmail.safeParse(token);
    if (!parsed.success) {
      invalid.push(token);
    } else if (seen.has(parsed.data)) {
      duplicates += 1;
    } else {
      seen.add(parsed.data);
    }
  }
  return { valid: [...seen], invalid, duplicates };
}

/** Header names taken for a CSV's allowance column (compared lower-case, without spaces, _ or -). */
const ALLOWANCE_HEADERS = new Set([
  'allowance',
  'alloweddownloads',
  'alloweddownloadsnum',
  'downloads',
  'downloadsallowed',
  'maxdownloads',
]);

export interface CsvAllowances {
  /** The allowance column's header as written, or null when the file has none. */
  column: string | null;
  /** Email → allowance (-1 unlimited) for the rows that give one; blank cells use the form's. */
  byEmail: Map<string, number>;
  /** Rows whose allowance cannot be read, as sentences; the file is refused when there are any. */
  errors: string[];
}

/** One CSV line's cells (double quotes may wrap a cell; "" inside is a quote). */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',' || c === ';' || c === '\t') {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

/** `3`, `0`, `unlimited`, `-1` (or any negative whole number): an allowance; blank: none given. */
function readAllowance(cell: string): number | null | undefined {
  const value = cell.trim().toLowerCase();
  if (value === '') return null;
  if (value === 'unlimited' || value === '∞') return -1;
  if (!/^-?\d{1,15}$/.test(value)) return undefined;
  const n = Number(value);
  return n < 0 ? -1 : n;
}

/**
 * The allowance column of a CSV file with a header row (`email,allowance`), so each row's users
 * get their own allowance instead of the form's. Without such a header nothing is read here and
 * every user gets the form's allowance.
 */
export function parseCsvAllowances(text: string): CsvAllowances {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines[0] ? csvCells(lines[0]).map((cell) => cell.toLowerCase().replace(/[\s_-]/g, '')) : [];
  const emailAt = header.findIndex((cell) => cell === 'email' || cell === 'emailaddress');
  const allowanceAt = header.findIndex((cell) => ALLOWANCE_HEADERS.has(cell));
  const result: CsvAllowances = { column: null, byEmail: new Map(), errors: [] };
  if (allowanceAt < 0 || !lines[0]) return result;
  result.column = csvCells(lines[0])[allowanceAt] ?? null;
  for (const [index, line] of lines.slice(1).entries()) {
    const cells = csvCells(line);
    const email = (emailAt >= 0 ? cells[emailAt] : cells.find((cell) => cell.includes('@'))) ?? '';
    const parsedEmail = ZOtpUserEmail.safeParse(email);
    if (!parsedEmail.success) continue; // An invalid email is reported by parseEmails.
    const allowance = readAllowance(cells[allowanceAt] ?? '');
    if (allowance === undefined) {
      result.errors.push(
        `Row ${index + 2}: “${cells[allowanceAt]}” is not an allowance. Use a whole number, 0 or more, or “unlimited”.`,
      );
    } else if (allowance !== null) {
      const before = result.byEmail.get(parsedEmail.data);
      if (before !== undefined && before !== allowance)
        result.errors.push(`Row ${index + 2}: ${parsedEmail.data} is listed before with another allowance.`);
      result.byEmail.set(parsedEmail.data, allowance);
    }
  }
  return result;
}
