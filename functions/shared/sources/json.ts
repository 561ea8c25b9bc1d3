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

/** No platform nests a webhook body beyond a dozen levels; deeper is refused before parsing, by name. */
export const MAX_JSON_DEPTH = 100;

/** The deepest nesting of arrays and objects, counted outside strings (one linear pass, no recursion). */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '"') i = stringEnd(text, i);
    else if (char === '{' || char === '[') deepest = Math.max(deepest, ++depth);
    else if (char === '}' || char === ']') depth -= 1;
  }
  return deepest;
}

/** The index of the quote closing the string that opens at `start` (escapes skipped), or the text's end. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i;
  }
  return text.length;
}

/** Parses a webhook body without losing digits; malformed JSON is a PayloadError (message never quotes the body). */
export function parseJson(rawBody: Buffer): unknown {
  const text = rawBody.toString('utf8').replace(/^\uFEFF/, '');
  if (nestingDepth(text) > MAX_JSON_DEPTH)
    throw new PayloadError(`body: JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text, keepBigIntegers as Parameters<typeof JSON.parse>[1]);
  } catch (error) {
    if (error instanceof SyntaxError) throw new PayloadError('body: not valid JSON');
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
