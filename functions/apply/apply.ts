import { now as clockNow } from '../shared/clock.ts';
import type { SourceEvent } from '../shared/domain/purchase.ts';
import { startSequences, stopSequences } from '../shared/sequences.ts';
import { customerKeyOf, laterStatus, newRecord, updatePurchase } from '../shared/store/purchases.ts';
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
 * Folds one stored webhook event into the purchase, then starts or stops sequences. Idempotent: re-applying an
 * event (stream retries) changes nothing, and a stale event never rolls newer state back.
 */
export async function applyEvent(stored: StoredEvent): Promise<{ discard: boolean }> {
  const at = new Date(clockNow()).toISOString();
  const event = stored.event;
  switch (event.kind) {
    case 'purchase': {
      const incoming = event.purchase;
      let redacted = false;
      // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: predates the rule; left whole so the branches editing it merge cleanly (issue 16)
      const record = await updatePurchase(stored.storeId, incoming.orderId, at, (current) => {
        const base = current ?? newRecord(stored.storeId, incoming.orderId, at);
        redacted = base.status === 'redacted';
        if (redacted) return undefined;
        const refunded = union(base.refundedLineIds, incoming.refundedLineIds);
        const status = laterStatus(base.status, incoming.status);
        const isNewer = !base.lastEventAt || !base.purchase || stored.occurredAt >= base.lastEventAt;
        if (!isNewer) {
          // A stale retry: only facts that move forward (cancelled, refunded lines) are kept from it.
          if (status === base.status && refunded.length === base.refundedLineIds.length) return undefined;
          return { ...base, status, refundedLineIds: refunded };
        }
        const deliveredAt = base.deliveredAt ?? incoming.deliveredAt;
        const customerKey = customerKeyOf(incoming) ?? base.customerKey;
        return {
          ...base,
          purchase: { ...incoming, ...(deliveredAt ? { deliveredAt } : {}) },
          status,
          refundedLineIds: refunded,
          lastEventAt: stored.occurredAt,
          ...(deliveredAt ? { deliveredAt } : {}),
          ...(customerKey ? { customerKey } : {}),
        };
      });
      // A retry of an order whose customer asked to be forgotten: its stored copy goes too.
      if (redacted) return { discard: true };
      if (record) await startSequences(record, at, stored.receivedAt);
      return { discard: false };
    }
    case 'delivered': {
      await updatePurchase(stored.storeId, event.orderId, at, (current) => {
        const base = current ?? newRecord(stored.storeId, event.orderId, at);
        if (base.status === 'redacted' || base.deliveredAt === event.deliveredAt) return undefined;
        // The first delivery date counts; a later "delivered" (re-shipment) does not restart sequences.
        if (base.deliveredAt && base.deliveredAt <= event.deliveredAt) return undefined;
        return {
          ...base,
          deliveredAt: event.deliveredAt,
          ...(base.purchase ? { purchase: { ...base.purchase, deliveredAt: event.deliveredAt } } : {}),
        };
      });
      return { discard: false };
    }
    case 'cancelled':
    case 'refunded': {
      // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: predates the rule; left whole so the branches editing it merge cleanly (issue 16)
      const record = await updatePurchase(stored.storeId, event.orderId, at, (current) => {
        const base = current ?? newRecord(stored.storeId, event.orderId, at);
        if (base.status === 'redacted') return undefined;
        if (event.kind === 'cancelled')
          return base.status === 'cancelled' ? undefined : { ...base, status: laterStatus(base.status, 'cancelled') };
        if (!event.lineIds)
          return base.status === 'refunded' ? undefined : { ...base, status: laterStatus(base.status, 'refunded') };
        const refundedLineIds = union(base.refundedLineIds, event.lineIds);
        const allLines = base.purchase?.lineItems.map((line) => line.lineId) ?? [];
        const whole = allLines.length > 0 && allLines.every((id) => refundedLineIds.includes(id));
        return { ...base, refundedLineIds, status: whole ? laterStatus(base.status, 'refunded') : base.status };
      });
      if (record && record.status !== 'open') await stopSequences(record);
      return { discard: false };
    }
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

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
