import { now as clockNow } from '../shared/clock.ts';
import type { SourceEvent } from '../shared/domain/purchase.ts';
import { foldPurchase, type PurchaseEffect, type PurchaseFact } from '../shared/domain/purchase-record.ts';
import { startSequences, stopSequences } from '../shared/sequences.ts';
import { updatePurchase } from '../shared/store/purchases.ts';
import { exportCustomerData, redactCustomer, redactShop } from './privacy.ts';

/** A webhook event as the webhook function stored it. */
export interface StoredEvent {
  storeId: string;
  platform: string;
  orderId?: string;
  eventId: string;
  topic: string;
  occurredAt: string;
  receivedAt: string;
  event: SourceEvent;
}

/**
 * Applies one stored webhook event: the purchase events are folded into the purchase (`foldPurchase`, pure), the
 * folded state written (optimistic locking), then the fold's effects run. Idempotent: re-applying an event (stream
 * retries) changes nothing, and a stale event never rolls newer state back.
 */
export async function applyEvent(stored: StoredEvent): Promise<{ discard: boolean }> {
  const at = new Date(clockNow()).toISOString();
  const event = stored.event;
  switch (event.kind) {
    case 'purchase':
    case 'delivered':
    case 'cancelled':
    case 'refunded':
      return applyToPurchase({ storeId: stored.storeId, occurredAt: stored.occurredAt, event }, at, stored.receivedAt);
    case 'customer-redact':
      await redactCustomer(stored.storeId, event, at);
      return { discard: false };
    case 'shop-redact':
      await redactShop(stored.storeId, at);
      return { discard: false };
    case 'data-request':
      await exportCustomerData(stored.storeId, event, at);
      return { discard: false };
    case 'ignored':
      return { discard: false };
  }
}

/** Read, fold, write (retried on a concurrent change), then the effects of the fold that was written. */
async function applyToPurchase(fact: PurchaseFact, at: string, receivedAt: string): Promise<{ discard: boolean }> {
  const orderId = fact.event.kind === 'purchase' ? fact.event.purchase.orderId : fact.event.orderId;
  let effects: PurchaseEffect[] = [];
  const record = await updatePurchase(fact.storeId, orderId, at, (current) => {
    const folded = foldPurchase(current, fact, at);
    effects = folded.effects;
    return folded.changed ? folded.state : undefined;
  });
  if (effects.includes('discard-event')) return { discard: true };
  if (record && effects.includes('start-sequences')) await startSequences(record, at, receivedAt);
  if (record && effects.includes('stop-sequences')) await stopSequences(record);
  return { discard: false };
}
