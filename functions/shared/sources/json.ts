import { PayloadError } from './errors.ts';

type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

const WHOLE_NUMBER = /^-?\d+$/;

/** Numbers beyond 2^53 (Shopify and WooCommerce ids) come back as their exact source digits, never rounded. */
const keepBigIntegers: Reviver = (_key, value, context) => {
  if (typeof value !== 'number' || Number.isSafeInteger(value)) return value;
  const source = context?.source;
  if (source === undefined) throw new Error('JSON.parse lacks context.source (Node 22+ needed): ids would lose digits');
  return WHOLE_NUMBER.test(source) ? source : value;
};

/** Parses a webhook body without losing digits; malformed JSON is a PayloadError (message never quotes the body). */
export function parseJson(rawBody: Buffer): unknown {
  const text = rawBody.toString('utf8').replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text, keepBigIntegers as Parameters<typeof JSON.parse>[1]);
  } catch (error) {
    // RangeError: nesting too deep for the reviver's recursion.
    if (error instanceof SyntaxError || error instanceof RangeError) throw new PayloadError('body: not valid JSON');
    throw error;
  }
}

/** Reads one top-level field for the delivery envelope, or undefined when the body is not a JSON object. */
export function peekField(rawBody: Buffer, key: string): unknown {
  try {
    const body = parseJson(rawBody);
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
  } catch (error) {
    if (error instanceof PayloadError) return undefined;
    throw error;
  }
}
