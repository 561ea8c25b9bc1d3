import { parseJson } from '../../functions/shared/sources/json.ts';
import { type ImportFile, parseWithSource } from './orders.ts';

/** The line alone must be one JSON object before it is embedded in an event envelope. */
function isJsonObject(content: string): boolean {
  try {
    const value = parseJson(Buffer.from(content, 'utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * JSON lines: one order per line in the generic format's `data` shape (functions/shared/sources/GENERIC.md),
 * read by the generic webhook parser. The line is embedded as it is, so ids beyond 2^53 keep every digit.
 */
export function readJsonLines(text: string, storeId: string, now: number): ImportFile {
  const result: ImportFile = { orders: [], bad: [] };
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((content, index) => {
      const line = index + 1;
      if (content.trim() === '') return;
      if (!isJsonObject(content)) {
        result.bad.push({ lines: [line], message: 'expected one JSON object (an order) on the line' });
        return;
      }
      const body = `{"type":"order.created","data":${content}}`;
      const purchase = parseWithSource('generic', body, 'order.created', storeId, now);
      if ('error' in purchase)
        result.bad.push({ lines: [line], message: purchase.error.replace(/(^|; )data\./g, '$1') });
      else result.orders.push({ orderId: purchase.orderId, lines: [line], purchase });
    });
  return result;
}
