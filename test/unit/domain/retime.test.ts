import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '#shared/config/file.ts';
import type { AftercareConfig } from '#shared/config/schema.ts';
import { planSequence } from '#shared/domain/plan.ts';
import type { Purchase } from '#shared/domain/purchase.ts';
import { retimeLaterSteps } from '#shared/domain/retime.ts';
import { DAY } from '#shared/domain/schedule.ts';

const config: AftercareConfig = loadConfigFile();
const store = config.stores[0] as AftercareConfig['stores'][number];
const now = Date.parse('2026-03-02T10:05:00Z');
const context = { config, store, now };
const purchase: Purchase = {
  storeId: 'demo',
  platform: 'generic',
  orderId: '1001',
  customer: { email: 'anna@example.com', timeZone: 'Europe/Amsterdam', marketingConsent: false },
  lineItems: [{ lineId: 'l1', title: 'Cyclone 3000', quantity: 1, price: '249.00', currency: 'EUR', tags: [] }],
  currency: 'EUR',
  purchasedAt: '2026-03-02T10:00:00Z',
  status: 'open',
  refundedLineIds: [],
};
// Planned from the assumed delivery date; the real one arrives later (or earlier) before the thanks goes out.
const plan = planSequence('follow-up', purchase, context);
const steps = plan?.steps ?? [];

describe('re-timing the later steps of a postponed run', () => {
  it('moves a later customer email after a delivery that came later than assumed, and claims its new second', () => {
    const assumed = Date.parse(steps[1]?.at ?? '');
    const late = { ...purchase, deliveredAt: new Date(now + 20 * DAY).toISOString() };
    const [checkIn] = retimeLaterSteps(steps, 0, late, context);
    expect(checkIn?.step).toBe(1);
    expect(checkIn?.claim).toBe(true);
    expect(checkIn?.at).toBeGreaterThan(assumed);
    // Still the check-in's distance from delivery (same time of day in the customer's window).
    expect(Math.round(((checkIn?.at ?? 0) - assumed) / DAY)).toBe(20 - config.sending.assumeDeliveryAfterDays);
  });

  it('keeps the planned times when the delivery came earlier: a step never moves before its plan', () => {
    const early = { ...purchase, deliveredAt: '2026-03-03T08:00:00Z' };
    expect(retimeLaterSteps(steps, 0, early, context)).toEqual([
      { step: 1, at: Date.parse(steps[1]?.at ?? ''), claim: false },
    ]);
  });

  it('never moves a later step before its planned time, whenever the delivery came, and claims only moved ones', () => {
    const machine = {
      lineId: 'l1',
      title: 'Espresso',
      quantity: 1,
      price: '499.00',
      currency: 'EUR',
      tags: ['coffee'],
    };
    const coffee = planSequence(
      'follow-up',
      { ...purchase, lineItems: [{ ...machine, productType: 'Espresso machine' }] },
      context,
    );
    const planned = coffee?.steps ?? [];
    fc.assert(
      fc.property(fc.integer({ min: -2, max: 60 }), fc.nat({ max: planned.length - 1 }), (days, from) => {
        const delivered = {
          ...purchase,
          deliveredAt: new Date(Date.parse(purchase.purchasedAt) + days * DAY).toISOString(),
        };
        const retimed = retimeLaterSteps(planned, from, delivered, context);
        expect(retimed.map((each) => each.step)).toEqual(
          planned.map((_, index) => index).filter((index) => index > from),
        );
        for (const each of retimed) {
          const at = Date.parse(planned[each.step]?.at ?? '');
          expect(each.at).toBeGreaterThanOrEqual(at);
          if (each.claim) expect(each.at).toBeGreaterThan(at);
        }
      }),
    );
  });

  it('leaves the postponed step and those before it to the caller', () => {
    expect(retimeLaterSteps(steps, steps.length - 1, purchase, context)).toEqual([]);
  });

  it("moves a store's alert only into the sending window, without claiming a wake second", () => {
    const alert = {
      key: 'detractor-alert',
      template: 'satisfaction-survey/detractor-alert' as const,
      category: 'service' as const,
      to: 'store' as const,
      anchor: 'none' as const,
      offsetMs: 0,
      lineIds: [],
      data: { kind: 'nps' as const },
      // Planned for 03:00 at night in the store's time zone: the window opens later that morning.
      at: '2026-03-02T02:00:00.000Z',
    };
    const [retimed] = retimeLaterSteps([alert, alert], 0, purchase, { ...context, now: Date.parse(alert.at) });
    expect(retimed?.claim).toBe(false);
    expect(retimed?.at).toBeGreaterThan(Date.parse(alert.at));
  });
});
