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
