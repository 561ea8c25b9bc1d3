import type { Purchase } from '../../functions/shared/domain/purchase.ts';
import type { Platform } from '../../functions/shared/domain/vocabulary.ts';
import { PayloadError, sources } from '../../functions/shared/sources/index.ts';

/** An order read from an import file, with the file lines it came from. */
export interface ImportedOrder {
  orderId: string;
  lines: number[];
  purchase: Purchase;
}

/** Rows that could not become an order: the lines and what is wrong, naming the field. */
export interface BadRows {
  lines: number[];
  message: string;
}

export interface ImportFile {
  orders: ImportedOrder[];
  bad: BadRows[];
}

/**
 * Builds the purchase with the webhook's own parser for that platform, so an imported order is normalised exactly
 * like a live one (ids, money, locales, consent). A misfit becomes the parser's message, naming the field.
 */
export function parseWithSource(
  platform: Platform,
  body: string,
  topic: string,
  storeId: string,
  now: number,
): Purchase | { error: string } {
  try {
    const request = { headers: {}, rawBody: Buffer.from(body, 'utf8'), storeId, now };
    const event = sources[platform].parse(request, {
      eventId: 'import',
      topic,
      occurredAt: new Date(now).toISOString(),
    });
    return event.kind === 'purchase' ? event.purchase : { error: `not a purchase (${event.kind})` };
  } catch (error) {
    if (error instanceof PayloadError) return { error: error.message };
    throw error;
  }
}

export function describeLines(lines: readonly number[]): string {
  const first = lines[0];
  const last = lines.at(-1);
  return first === last ? `line ${first}` : `lines ${first}–${last}`;
}
