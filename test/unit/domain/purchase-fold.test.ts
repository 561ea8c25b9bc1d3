import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Purchase } from '#shared/domain/purchase.ts';
import {
  foldPurchase,
  type PurchaseEvent,
  type PurchaseFact,
  type PurchaseRecord,
} from '#shared/domain/purchase-record.ts';

const AT = '2026-03-10T09:00:00.000Z';
const LINES = ['l1', 'l2', 'l3'];

function purchase(overrides: Partial<Purchase> = {}): Purchase {
  return {
    storeId: 'demo',
    platform: 'generic',
    orderId: '1001',
    customer: { email: 'anna@example.com', marketingConsent: false },
    lineItems: LINES.map((lineId) => ({
      lineId,
      title: lineId,
      quantity: 1,
      price: '10.00',
      currency: 'EUR',
      tags: [],
    })),
    currency: 'EUR',
    purchasedAt: '2026-03-02T10:00:00Z',
    status: 'open',
    refundedLineIds: [],
    ...overrides,
  };
}

function fact(event: PurchaseEvent, occurredAt = '2026-03-02T10:00:00Z'): PurchaseFact {
  return { storeId: 'demo', occurredAt, event };
}

/** Folds facts in order, as the apply function does one stream record at a time. */
function foldAll(facts: readonly PurchaseFact[], start?: PurchaseRecord) {
  let state = start;
  const effects = [];
  for (const each of facts) {
    const folded = foldPurchase(state, each, AT);
    state = folded.state;
    effects.push(folded.effects);
  }
  return { state, effects };
}

const occurredAt = fc
  .integer({ min: 0, max: 10 * 86_400 })
  .map((seconds) => new Date(Date.parse('2026-03-02T10:00:00Z') + seconds * 1000).toISOString());
const lineIds = fc.subarray(LINES, { minLength: 1 });
const purchaseEvent = fc.record({
  kind: fc.constant('purchase' as const),
  purchase: fc
    .record({ status: fc.constantFrom('open', 'cancelled', 'refunded'), refundedLineIds: fc.subarray(LINES) })
    .map((overrides) => purchase(overrides as Partial<Purchase>)),
});
const deliveredEvent = fc.record({
  kind: fc.constant('delivered' as const),
  orderId: fc.constant('1001'),
  deliveredAt: occurredAt,
});
const refundedEvent = fc.oneof(
  fc.record({ kind: fc.constant('refunded' as const), orderId: fc.constant('1001'), lineIds }),
  fc.record({ kind: fc.constant('refunded' as const), orderId: fc.constant('1001') }),
);
const cancelledEvent = fc.record({ kind: fc.constant('cancelled' as const), orderId: fc.constant('1001') });
const anyEvent: fc.Arbitrary<PurchaseEvent> = fc.oneof(purchaseEvent, deliveredEvent, refundedEvent, cancelledEvent);
const anyFact = fc.tuple(anyEvent, occurredAt).map(([event, at]) => fact(event, at));

describe('folding events into a purchase', () => {
  it('gives the same purchase and the same effects when an event arrives twice (a stream retry)', () => {
    fc.assert(
      fc.property(fc.array(anyFact, { maxLength: 6 }), anyFact, (before, duplicate) => {
        const once = foldAll([...before, duplicate]);
        const twice = foldPurchase(once.state, duplicate, AT);
        expect(twice.state).toEqual(once.state);
        expect(twice.effects).toEqual(once.effects.at(-1));
      }),
    );
  });

  it('ends in the same purchase whichever of a refund and a delivery update arrives first', () => {
    fc.assert(
      fc.property(
        fc.tuple(purchaseEvent, occurredAt),
        refundedEvent,
        deliveredEvent,
        ([order, at], refund, delivery) => {
          const start = foldAll([fact(order, at)]).state;
          const refundFirst = foldAll([fact(refund), fact(delivery)], start).state;
          const deliveryFirst = foldAll([fact(delivery), fact(refund)], start).state;
          expect(refundFirst).toEqual(deliveryFirst);
        },
      ),
    );
  });

  it('stops every sequence at a cancellation, and no later event of the order starts one again', () => {
    fc.assert(
      fc.property(fc.array(anyFact, { maxLength: 4 }), fc.array(anyFact, { maxLength: 6 }), (before, after) => {
        const cancelled = foldAll([...before, fact({ kind: 'cancelled', orderId: '1001' })]);
        expect(cancelled.effects.at(-1)).toEqual(['stop-sequences']);
        const later = foldAll(after, cancelled.state);
        expect(later.state?.status).not.toBe('open');
        expect(later.effects.flat()).not.toContain('start-sequences');
      }),
    );
  });

  it('never rolls a newer order payload back to an older one, but keeps the lines an old retry refunds', () => {
    const newer = fact({ kind: 'purchase', purchase: purchase({ total: '30.00' }) }, '2026-03-02T12:00:00Z');
    const older = fact(
      { kind: 'purchase', purchase: purchase({ total: '20.00', refundedLineIds: ['l2'] }) },
      '2026-03-02T11:00:00Z',
    );
    const { state } = foldAll([newer, older]);
    expect(state?.purchase?.total).toBe('30.00');
    expect(state?.refundedLineIds).toEqual(['l2']);
    expect(state?.status).toBe('open');
  });

  it('refunds the order once every line is refunded, and stops its sequences then', () => {
    const order = fact({ kind: 'purchase', purchase: purchase() });
    const first = foldAll([order, fact({ kind: 'refunded', orderId: '1001', lineIds: ['l1', 'l2'] })]);
    expect(first.state?.status).toBe('open');
    expect(first.effects.at(-1)).toEqual([]);
    const rest = foldPurchase(first.state, fact({ kind: 'refunded', orderId: '1001', lineIds: ['l3'] }), AT);
    expect(rest.state?.status).toBe('refunded');
    expect(rest.effects).toEqual(['stop-sequences']);
  });

  it('keeps the first delivery date: a re-shipment does not move the sequences', () => {
    const order = fact({ kind: 'purchase', purchase: purchase() });
    const delivered = fact({ kind: 'delivered', orderId: '1001', deliveredAt: '2026-03-04T12:00:00.000Z' });
    const again = fact({ kind: 'delivered', orderId: '1001', deliveredAt: '2026-03-09T12:00:00.000Z' });
    const { state } = foldAll([order, delivered]);
    const reshipped = foldPurchase(state, again, AT);
    expect(reshipped.changed).toBe(false);
    expect(reshipped.state?.purchase?.deliveredAt).toBe('2026-03-04T12:00:00.000Z');
  });

  it('starts sequences for an open order with an address, and for no guest order without one', () => {
    expect(foldPurchase(undefined, fact({ kind: 'purchase', purchase: purchase() }), AT).effects).toEqual([
      'start-sequences',
    ]);
    const guest = purchase({ customer: { marketingConsent: false } });
    expect(foldPurchase(undefined, fact({ kind: 'purchase', purchase: guest }), AT).effects).toEqual([]);
  });

  it("drops a redacted order's retried payload and keeps its tombstone as it is", () => {
    const tombstone: PurchaseRecord = {
      storeId: 'demo',
      orderId: '1001',
      status: 'redacted',
      refundedLineIds: [],
      version: 3,
      createdAt: AT,
      updatedAt: AT,
    };
    const folded = foldPurchase(tombstone, fact({ kind: 'purchase', purchase: purchase() }), AT);
    expect(folded).toEqual({ state: tombstone, changed: false, effects: ['discard-event'] });
  });
});
