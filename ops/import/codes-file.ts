import * as z from 'zod';

/** A code as shops generate them: letters, digits, dots, dashes and underscores, at most 64 (what the email shows). */
export const discountCodeSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a code is 1–64 letters, digits, dots, dashes or underscores');

/** Header cells that name the code column in the shops' exports (Shopify, WooCommerce, Stripe promotion codes). */
const CODE_COLUMNS = ['code', 'discount code', 'coupon code', 'promotion code', 'codes', 'coupon', 'name'];

export interface CodesFile {
  /** Valid codes in file order, each once. */
  codes: string[];
  /** Lines that repeat a code already in the file (ignored). */
  repeated: number;
  rejected: { line: number; message: string }[];
}

/** One RFC 4180 line into cells (the exports quote cells that hold commas). */
function cells(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i];
    if (quoted && char === '"' && line[i + 1] === '"') {
      cell += '"';
      i += 1;
    } else if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      out.push(cell);
      cell = '';
    } else cell += char;
  }
  out.push(cell);
  return out.map((value) => value.trim());
}

/** The cell a line offers as a code, or undefined for the CSV header, blank lines and `#` comments. */
function codeCellOf(raw: string, index: number, column: number | undefined): string | undefined {
  const isCsv = column !== undefined;
  if ((isCsv && index === 0) || raw.trim() === '' || raw.trim().startsWith('#')) return undefined;
  return isCsv ? (cells(raw)[column] ?? '') : raw.trim();
}

/** A rejected line, showing at most 40 characters of what it held. */
function rejectionOf(line: number, value: string, reason: string | undefined): CodesFile['rejected'][number] {
  const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return { line, message: `${shown}: ${reason ?? 'not a code'}` };
}

/**
 * Reads a file of codes: a CSV export with a code column (Code, Discount code, Coupon code, Promotion code…) or a
 * text file with one code per line. Blank lines and `#` comments are skipped; every bad line is named.
 */
export function readCodesFile(text: string): CodesFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = cells(lines[0] ?? '').map((cell) => cell.toLowerCase());
  const column = CODE_COLUMNS.map((name) => header.indexOf(name)).find((index) => index >= 0);
  const seen = new Set<string>();
  const result: CodesFile = { codes: [], repeated: 0, rejected: [] };
  lines.forEach((raw, index) => {
    const value = codeCellOf(raw, index, column);
    if (value === undefined) return;
    const parsed = discountCodeSchema.safeParse(value);
    if (!parsed.success) result.rejected.push(rejectionOf(index + 1, value, parsed.error.issues[0]?.message));
    else if (seen.has(parsed.data)) result.repeated += 1;
    else {
      seen.add(parsed.data);
      result.codes.push(parsed.data);
    }
  });
  return result;
}
