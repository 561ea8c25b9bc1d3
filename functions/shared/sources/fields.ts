import { domainToASCII } from 'node:url';
import * as z from 'zod';
import { type Purchase, purchaseSchema } from '../domain/purchase.ts';
import { isValidTimeZone } from '../domain/schedule.ts';
import { LOCALES } from '../domain/vocabulary.ts';
import { PayloadError } from './errors.ts';
import { toDecimal } from './money.ts';

/**
 * Field readers for untrusted payloads. Each one normalises what platforms really send (numbers or strings,
 * nulls, offsets) and, when a value does not fit, reports "expected …" at the field's path — never the value.
 */
function reader<T>(expected: string, convert: (value: unknown) => T | undefined) {
  return z.unknown().transform((value, ctx) => {
    const result = convert(value);
    if (result !== undefined) return result;
    ctx.issues.push({ code: 'custom', message: `expected ${expected}`, input: value });
    return z.NEVER;
  });
}

/**
 * Characters that must not reach an email: NUL and other C0/C1 controls, bidi controls (embeddings, overrides,
 * isolates: they reorder the text around them) and lone surrogates (not text at all; \p{Cs} matches only those).
 */
const UNSHOWABLE = /[\p{Cc}\p{Bidi_Control}\p{Cs}]/gu;

function cleanText(value: string): string {
  return value
    .replace(/[\t\n\v\f\r]/g, ' ')
    .replace(UNSHOWABLE, '')
    .trim();
}

/** null, "" and whitespace (or nothing showable) mean "not given": Shopify sends null, WooCommerce sends "". */
export function optional<Schema extends z.ZodType>(schema: Schema) {
  const blank = (value: unknown) => value === null || (typeof value === 'string' && cleanText(value) === '');
  return z.preprocess((value) => (blank(value) ? undefined : value), schema.optional());
}

/** Ids stay exactly as sent; numbers beyond 2^53 already arrive as digit strings from parseJson. */
export const id = reader('an id', (value) => {
  if (typeof value === 'string') return value.length > 0 && value.length <= 200 ? value : undefined;
  return Number.isSafeInteger(value) && (value as number) >= 0 ? String(value) : undefined;
});
/** Trimmed, with control, bidi-control and lone-surrogate characters removed (see `shown`); blank → not given. */
export const text = reader('text', (value) => (typeof value === 'string' ? cleanText(value) || undefined : undefined));
/** Beyond this an amount cannot be formatted in an email (Number() gives Infinity or loses cents): refused at once. */
const MAX_INTEGER_DIGITS = 12;
const MAX_FRACTION_DIGITS = 6;
const decimalText = reader('a decimal amount', toDecimal);
export const decimal = decimalText.refine(
  (amount) => {
    const [whole = '', fraction = ''] = amount.replace(/^-/, '').split('.');
    return whole.replace(/^0+(?=\d)/, '').length <= MAX_INTEGER_DIGITS && fraction.length <= MAX_FRACTION_DIGITS;
  },
  {
    message: `expected an amount of at most ${MAX_INTEGER_DIGITS} digits before the point and ${MAX_FRACTION_DIGITS} after`,
  },
);
export const count = reader('a whole number', (value) => {
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return Number.isSafeInteger(number) && (number as number) >= 0 ? (number as number) : undefined;
});
export const currency = reader('a 3-letter currency code such as EUR', (value) => {
  const code = typeof value === 'string' ? value.trim().toUpperCase() : '';
  return /^[A-Z]{3}$/.test(code) ? code : undefined;
});
export const instant = reader('a date and time such as 2025-01-31T12:00:00Z', toInstant);
export const unixTime = reader('a unix time in seconds', fromUnixSeconds);
export const timeZone = reader('an IANA time zone such as Europe/Amsterdam', (value) =>
  typeof value === 'string' && isValidTimeZone(value) ? value : undefined,
);
/**
 * A mistyped or undeliverable address means "no email" (the step records `no-email-address`) rather than a refused
 * order: the purchase is still worth storing. SES takes 7-bit ASCII only: an internationalised domain is sent as
 * punycode, a non-ASCII local part cannot be sent at all (docs.aws.amazon.com/ses/latest/APIReference-V2/API_Destination.html).
 */
export const email = z.unknown().transform((value) => {
  const parsed = z
    .email()
    .max(320)
    .safeParse(typeof value === 'string' ? asciiAddress(value.trim()) : value);
  return parsed.success ? parsed.data : undefined;
});

/** "anna@bücher.de" → "anna@xn--bcher-kva.de"; an address that cannot become ASCII stays as it is (and fails). */
function asciiAddress(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1);
  if (at < 1 || /^[\x21-\x7e]*$/.test(domain)) return address;
  return `${address.slice(0, at)}@${domainToASCII(domain) || domain}`;
}
/** Unsupported languages become undefined: the store's default locale applies later. */
export const locale = z.unknown().transform(toLocale);

const ISO_LIKE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Offset-aware; a date-time without offset is read as UTC (WooCommerce's *_gmt fields). */
export function toInstant(value: unknown): string | undefined {
  const match = typeof value === 'string' ? ISO_LIKE.exec(value.trim()) : null;
  if (!match) return undefined;
  const [, date, time = '00:00', offset = 'Z'] = match;
  const zone = offset.toUpperCase() === 'Z' ? 'Z' : `${offset.slice(0, 3)}:${offset.slice(-2)}`;
  const ms = Date.parse(`${date}T${time}${zone}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export function fromUnixSeconds(value: unknown): string | undefined {
  if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) > 253_402_300_799) return undefined;
  return new Date((value as number) * 1000).toISOString();
}

/**
 * "en_GB" → "en-GB", "NL" → "nl", "fr-ca" → "fr-CA": the customer's BCP 47 tag, kept whole (dates and money are
 * formatted for the region); undefined when not a tag or its language is not one Aftercare writes in.
 */
export function toLocale(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim().length > 35) return undefined;
  let tag: string | undefined;
  try {
    tag = Intl.getCanonicalLocales(value.trim().replace(/_/g, '-'))[0];
  } catch {
    return undefined; // not a BCP 47 tag ("auto", "english")
  }
  const language = tag?.split('-')[0];
  return tag && LOCALES.some((supported) => supported === language) ? tag : undefined;
}

/** "line_items.0.price: expected a decimal amount" (at most three issues, then a count). */
function describe(issues: z.ZodError['issues'], prefix: string): string {
  const lines = issues.slice(0, 3).map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return `${path || 'body'}: ${issue.message}`;
  });
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return lines.join('; ') + more;
}

/** Reads a payload (or part of one) with a platform schema; a misfit becomes a PayloadError naming the fields. */
export function readPayload<Schema extends z.ZodType>(schema: Schema, value: unknown, prefix = ''): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new PayloadError(describe(parsed.error.issues, prefix));
}

/** Absent fields are left out rather than set to undefined, so the purchase stores and compares cleanly. */
function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (typeof value !== 'object' || value === null) return value;
  const present = Object.entries(value).filter(([, field]) => field !== undefined);
  return Object.fromEntries(present.map(([key, field]) => [key, withoutUndefined(field)])) as T;
}

/** The last gate: what a source builds must be a canonical purchase. Names and titles are cleaned, never refused. */
export function finishPurchase(candidate: z.input<typeof purchaseSchema>): Purchase {
  const firstName = shown(candidate.customer.firstName, 200);
  const cleaned = {
    ...candidate,
    customer: { ...candidate.customer, firstName },
    lineItems: candidate.lineItems.map((line) => ({ ...line, title: shown(line.title, 500) ?? 'Item' })),
  };
  return readPayload(purchaseSchema, withoutUndefined(cleaned), 'purchase');
}

/** A name or title as an email may show it: unshowable characters dropped, line breaks as spaces, at most `max`. */
export function shown(value: string | undefined, max: number): string | undefined {
  const clean = value?.replace(/\s/g, ' ').replace(UNSHOWABLE, '').replace(/ {2,}/g, ' ').trim();
  if (!clean) return undefined;
  if (clean.length <= max) return clean;
  return `${clean.slice(0, max - 1).replace(/[\ud800-\udbff]$/, '')}…`;
}

/** "Chris Oliver" → "Chris". */
export function firstWord(name: string | undefined): string | undefined {
  return name?.trim().split(/\s+/)[0] || undefined;
}
