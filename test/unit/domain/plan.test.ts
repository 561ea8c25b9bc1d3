import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '#shared/config/file.ts';
import type { AftercareConfig } from '#shared/config/schema.ts';
import { executionName, HOP_AFTER_MS, planSequence, wakesFrom } from '#shared/domain/plan.ts';
import type { Purchase } from '#shared/domain/purchase.ts';
import { DAY } from '#shared/domain/schedule.ts';

const config: AftercareConfig = loadConfigFile();
const store = config.stores[0] as AftercareConfig['stores'][number];

function purchase(overrides: Partial<Purchase> = {}, item: Partial<Purchase['lineItems'][number]> = {}): Purchase {
  return {
    storeId: 'demo',
    platform: 'generic',
    orderId: '1001',
    customer: { email: 'anna@example.com', firstName: 'Anna', timeZone: 'Europe/Amsterdam', marketingConsent: true },
    lineItems: [
      {
        lineId: 'l1',
        title: 'Cyclone 3000',
        quantity: 1,
        price: '249.00',
        currency: 'EUR',
        productType: 'Vacuum cleaner',
        tags: [],
        sku: 'VAC-3000',
        ...item,
      },
    ],
    currency: 'EUR',
    purchasedAt: '2026-03-02T10:00:00Z',
    deliveredAt: '2026-03-04T12:00:00Z',
    status: 'open',
    refundedLineIds: [],
    ...overrides,
  };
}
const context = { config, store, now: Date.parse('2026-03-02T10:05:00Z') };

describe('planning the sequences of a purchase', () => {
  it('plans thanks 1 day and check-in 10 days after delivery, inside the sending window (tips 2 minutes on)', () => {
    const run = planSequence('follow-up', purchase(), context);
    expect(run?.steps.map((s) => [s.key, s.at])).toEqual([
      ['thanks', '2026-03-05T12:02:00.000Z'],
      ['check-in', '2026-03-14T12:02:00.000Z'],
    ]);
    expect(run?.wakes).toEqual([
      { step: 0, at: '2026-03-05T12:02:00.000Z' },
      { step: 1, at: '2026-03-14T12:02:00.000Z' },
    ]);
  });

  it('counts from an assumed delivery when none is known yet', () => {
    const run = planSequence('follow-up', purchase({ deliveredAt: undefined }), context);
    // purchase + 3 days (assumeDeliveryAfterDays) + 1 day, + 2 minutes (tips after surveys)
    expect(run?.steps[0]?.at).toBe('2026-03-06T10:02:00.000Z');
  });

  it('applies product rules: the coffee machine gets a 36-month warranty and descaling reminders', () => {
    const coffee = purchase({}, { productType: 'Espresso machine', tags: ['coffee'], sku: 'ESP-1' });
    const warranty = planSequence('warranty-reminder', coffee, context);
    expect(warranty?.steps.map((s) => s.key)).toEqual(['warranty-36m']);
    // 36 months after delivery minus 30 days (in the window), + 3 minutes (warranty's priority stagger)
    expect(warranty?.steps[0]?.at).toBe('2029-02-02T12:03:00.000Z');
    const followUp = planSequence('follow-up', coffee, context);
    expect(followUp?.steps.map((s) => s.key)).toEqual(['thanks', 'check-in', 'maintenance-1', 'maintenance-2']);
  });

  it('hops into a continuation before one execution would exceed a year', () => {
    const coffee = purchase({}, { tags: ['coffee'] });
    const warranty = planSequence('warranty-reminder', coffee, context);
    expect(warranty?.wakes).toEqual([{ step: 0, at: new Date(context.now + HOP_AFTER_MS).toISOString(), hop: true }]);
    const followUp = planSequence('follow-up', coffee, context);
    // two care reminders, 60 and 120 days after delivery: both within the first execution, no hop
    expect(followUp?.wakes.map((wake) => [wake.step, wake.hop ?? false])).toEqual([
      [0, false],
      [1, false],
      [2, false],
      [3, false],
    ]);
  });

  it('wakes in order, never before the execution starts, and a postponed step moves the later ones with it', () => {
    const steps = [{ at: '2026-04-01T09:00:00Z' }, { at: '2026-04-03T09:00:00Z' }, { at: '2027-06-01T09:00:00Z' }];
    const start = Date.parse('2026-04-02T00:00:00Z');
    expect(wakesFrom(steps, 0, start)).toEqual([
      { step: 0, at: '2026-04-02T00:00:00.000Z' },
      { step: 1, at: '2026-04-03T09:00:00.000Z' },
      { step: 2, at: new Date(start + HOP_AFTER_MS).toISOString(), hop: true },
    ]);
    const postponed = new Map([[1, Date.parse('2026-04-05T09:00:00Z')]]);
    expect(wakesFrom(steps.slice(0, 2), 1, start, postponed)).toEqual([{ step: 1, at: '2026-04-05T09:00:00.000Z' }]);
    const pastTheNext = new Map([[0, Date.parse('2026-04-04T09:00:00Z')]]);
    expect(wakesFrom(steps.slice(0, 2), 0, start, pastTheNext).map((wake) => wake.at)).toEqual([
      '2026-04-04T09:00:00.000Z',
      '2026-04-04T09:00:00.000Z',
    ]);
  });

  it('offers bags for vacuum cleaners and nothing for products without an offer rule', () => {
    expect(planSequence('upgrade-offer', purchase(), context)?.steps.map((s) => s.key)).toEqual(['offer-BAGS-10']);
    expect(planSequence('upgrade-offer', purchase({}, { productType: 'Toaster' }), context)).toBeUndefined();
  });

  it('marks steps already past the grace period when the purchase arrives late', () => {
    const old = purchase({ purchasedAt: '2025-01-10T10:00:00Z', deliveredAt: '2025-01-12T10:00:00Z' });
    const run = planSequence('follow-up', old, context);
    expect(run?.steps.every((s) => s.late)).toBe(true);
    const warranty = planSequence('warranty-reminder', old, context);
    expect(warranty?.steps[0]?.late).toBeUndefined(); // the 24-month reminder is still due in December 2026
  });

  it('is switched off per sequence', () => {
    const off = { ...config, defaults: { ...config.defaults, survey: { ...config.defaults.survey, enabled: false } } };
    expect(planSequence('satisfaction-survey', purchase(), { ...context, config: off })).toBeUndefined();
  });

  it('names executions uniquely per store, order and sequence, within the Step Functions limits', () => {
    const names = new Set(
      ['1', '2', '18446744073709551615', '18446744073709551614'].map((id) => executionName('demo', id, 'follow-up')),
    );
    expect(names.size).toBe(4);
    const long = executionName(
      'a-very-long-store-identifier-here',
      `${'x'.repeat(200)}/#?`,
      'satisfaction-survey',
      '-detractor',
    );
    expect(long).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    expect(executionName('demo', '1', 'follow-up')).not.toBe(executionName('demo2', '1', 'follow-up'));
  });

  it('keeps days as days across the planned offset', () => {
    const run = planSequence('satisfaction-survey', purchase(), context);
    const [ask, reminder] = run?.steps ?? [];
    expect(Date.parse(reminder?.at ?? '') - Date.parse(ask?.at ?? '')).toBe(4 * DAY);
  });
});
