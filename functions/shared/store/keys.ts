import { createHash } from 'node:crypto';
import { emailHash } from '../domain/customer-key.ts';

/** Key builders of the one table (access patterns are listed in schema.ts). */

/** Event ids kept as sent: short and plain. Any other id (a sort key holds 1,024 bytes; Shopify's is unsigned). */
const PLAIN_EVENT_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * An event id as it is keyed and stored: as sent when plain and at most 128 characters, else `~` and its SHA-256
 * (`~` never occurs in a plain id, so the two forms cannot meet). DynamoDB sort keys hold at most 1,024 bytes:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-partition-sort-keys
 */
export function eventKeyId(eventId: string): string {
  return PLAIN_EVENT_ID.test(eventId) ? eventId : `~${createHash('sha256').update(eventId, 'utf8').digest('hex')}`;
}

/** What every stored webhook event's sort key starts with (the apply function's stream filter selects on it). */
export const EVENT_SORT_KEY_PREFIX = 'EVENT#';

export const keys = {
  purchase: (storeId: string, orderId: string) => ({ PK: `PURCHASE#${storeId}#${orderId}`, SK: 'PURCHASE' }),
  event: (storeId: string, orderId: string | undefined, platform: string, eventId: string) => ({
    PK: orderId === undefined ? `STORE#${storeId}` : `PURCHASE#${storeId}#${orderId}`,
    SK: `${EVENT_SORT_KEY_PREFIX}${platform}#${eventKeyId(eventId)}`,
  }),
  step: (storeId: string, orderId: string, sequence: string, stepKey: string) => ({
    PK: `PURCHASE#${storeId}#${orderId}`,
    SK: `STEP#${sequence}#${stepKey}`,
  }),
  survey: (storeId: string, orderId: string) => ({ PK: `PURCHASE#${storeId}#${orderId}`, SK: 'SURVEY' }),
  customer: (storeId: string, customerKey: string) => ({ PK: `CUSTOMER#${storeId}#${customerKey}`, SK: 'PROFILE' }),
  suppressed: (email: string) => ({ PK: `SUPPRESSED#${emailHash(email)}`, SK: 'SUPPRESSED' }),
  message: (messageId: string) => ({ PK: `MESSAGE#${messageId}`, SK: 'MESSAGE' }),
  discountCode: (storeId: string, offerSku: string, code: string) => ({
    PK: `CODES#${storeId}#${offerSku}`,
    SK: `CODE#${code}`,
  }),
  /** Which code one send of a purchase's step claimed: a retry of the send reads it back. */
  codeClaim: (storeId: string, orderId: string, sequence: string, stepKey: string) => ({
    PK: `PURCHASE#${storeId}#${orderId}`,
    SK: `CODECLAIM#${sequence}#${stepKey}`,
  }),
  /** Sparse GSI1 partition of the codes not claimed yet: a claim removes the code from it. */
  freeCodesIndex: (storeId: string, offerSku: string) => `CODES#${storeId}#${offerSku}`,
  wakeSlot: (epochSecond: number) => ({ PK: `WAKES#${epochSecond}`, SK: 'WAKES' }),
  run: (storeId: string, orderId: string, runName: string) => ({
    PK: `PURCHASE#${storeId}#${orderId}`,
    SK: `RUN#${runName}`,
  }),
  runShard: (shard: number) => `RUNS#${shard}`,
  /** One email of one purchase's step: the idempotency key of the cap slot and of a pool code's claim. */
  sendKey: (storeId: string, orderId: string, sequence: string, stepKey: string) =>
    `${storeId}#${orderId}#${sequence}#${stepKey}`,
  customerIndex: (storeId: string, customerKey: string) => `CUSTOMER#${storeId}#${customerKey}`,
  storeIndex: (storeId: string) => `STORE#${storeId}`,
};
