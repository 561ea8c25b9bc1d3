import { describe, expect, it } from 'vitest';
import { decide, type Facts } from '#functions/step/decide.ts';
import { loadConfigFile } from '#shared/config/file.ts';
import type { AftercareConfig } from '#shared/config/schema.ts';
import { surveyDeadline } from '#shared/domain/deadlines.ts';
import { spreadOffsetMs } from '#shared/domain/pacing.ts';
import type { PurchaseRecord } from '#shared/domain/purchase-record.ts';
import type { PlannedStep } from '#shared/domain/step.ts';

const config: AftercareConfig = loadConfigFile();
const store = config.stores[0] as AftercareConfig['stores'][number];
const noon = Date.parse('2026-06-10T10:00:00Z'); // 12:00 in Amsterdam

const step: PlannedStep = {
  key: 'thanks',
  template: 'follow-up/thanks',
  category: 'tips',
  to: 'customer',
  anchor: 'delivery',
  offsetMs: 0,
  at: '2026-06-10T10:00:00Z',
  lineIds: ['l1', 'l2'],
};
const record: PurchaseRecord = {
  storeId: 'demo',
  orderId: '1',
  status: 'open',
  refundedLineIds: [],
  version: 1,
  createdAt: '2026-06-01T00:00:00Z',
  updatedAt: '2026-06-01T00:00:00Z',
  customerKey: 'k',
  purchase: {
    storeId: 'demo',
    platform: 'generic',
    orderId: '1',
    customer: { email: 'a@example.com', timeZone: 'Europe/Amsterdam', marketingConsent: true },
    lineItems: [
      { lineId: 'l1', title: 'A', quantity: 1, price: '1.00', currency: 'EUR', tags: [] },
      { lineId: 'l2', title: 'B', quantity: 1, price: '1.00', currency: 'EUR', tags: [] },
    ],
    currency: 'EUR',
    purchasedAt: '2026-06-01T00:00:00Z',
    status: 'open',
    refundedLineIds: [],
  },
};
const facts = (overrides: Partial<Facts> = {}): Facts => ({
  step,
  record,
  profile: undefined,
  suppressed: false,
  survey: undefined,
  alreadyBought: false,
  dueAt: noon,
  now: noon,
  config,
  store,
  ...overrides,
});

describe('eligibility right before a send', () => {
  it('sends when nothing stands in the way', () => {
    expect(decide(facts())).toEqual({ action: 'send' });
  });

  it.each([
    ['order-cancelled', { record: { ...record, status: 'cancelled' as const } }],
    ['order-refunded', { record: { ...record, status: 'refunded' as const } }],
    ['items-refunded', { record: { ...record, refundedLineIds: ['l1', 'l2'] } }],
    ['purchase-redacted', { record: { ...record, status: 'redacted' as const, purchase: undefined } }],
    ['address-suppressed', { suppressed: true }],
    ['unsubscribed', { profile: { storeId: 'demo', customerKey: 'k', unsubscribedAll: true } }],
    ['unsubscribed-from-tips', { profile: { storeId: 'demo', customerKey: 'k', unsubscribed: ['tips' as const] } }],
    ['already-bought', { alreadyBought: true }],
    ['too-late', { step: { ...step, late: true } }],
  ])('skips with reason %s', (reason, overrides) => {
    expect(decide(facts(overrides as Partial<Facts>))).toEqual({ action: 'skip', reason });
  });

  it('skips a step that wakes long past its due time (a run restarted months later), each kind by its own bound', () => {
    const wokeAfter = (days: number, category: PlannedStep['category']) =>
      decide(facts({ step: { ...step, category }, dueAt: noon - days * 86_400_000 }));
    expect(wokeAfter(13, 'tips')).toEqual({ action: 'send' });
    expect(wokeAfter(15, 'tips')).toEqual({ action: 'skip', reason: 'woke-too-late' });
    expect(wokeAfter(15, 'warranty')).toEqual({ action: 'skip', reason: 'woke-too-late' });
    expect(wokeAfter(29, 'offers')).toEqual({ action: 'send' });
    expect(wokeAfter(31, 'offers')).toEqual({ action: 'skip', reason: 'woke-too-late' });
    expect(wokeAfter(4, 'service')).toEqual({ action: 'skip', reason: 'woke-too-late' });
  });

  it('still sends when only some of the step’s items were refunded', () => {
    expect(decide(facts({ record: { ...record, refundedLineIds: ['l1'] } }))).toEqual({ action: 'send' });
  });

  it('skips the survey question and its reminder once answered', () => {
    const survey = { storeId: 'demo', orderId: '1', kind: 'nps' as const, score: 9, answeredAt: '', changes: [] };
    const reminder: PlannedStep = {
      ...step,
      key: 'reminder',
      template: 'satisfaction-survey/reminder',
      category: 'surveys',
      data: { kind: 'nps', closesAfterMs: 30 * 86_400_000 },
    };
    expect(decide(facts({ step: reminder, survey }))).toEqual({
      action: 'skip',
      reason: 'survey-answered',
    });
  });

  it('postpones to the morning at night, at the customer’s own offset after 09:00, never drops', () => {
    const threeAm = Date.parse('2026-06-10T01:00:00Z');
    const offset = spreadOffsetMs('a@example.com', config.sending.spreadMinutes);
    expect(decide(facts({ now: threeAm, dueAt: threeAm }))).toEqual({
      action: 'postpone',
      until: Date.parse('2026-06-10T07:00:00Z') + offset,
      reason: 'quiet-hours',
    });
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(config.sending.spreadMinutes * 60_000);
  });

  it('postpones service mail to 09:00 sharp: an answer to the customer is not spread', () => {
    const threeAm = Date.parse('2026-06-10T01:00:00Z');
    const sorry = { ...step, key: 'sorry', category: 'service' as const };
    expect(decide(facts({ step: sorry, now: threeAm, dueAt: threeAm }))).toEqual({
      action: 'postpone',
      until: Date.parse('2026-06-10T07:00:00Z'),
      reason: 'quiet-hours',
    });
  });

  it('skips a step past its planned deadline as stale, saying which deadline passed', () => {
    const due = Date.parse('2026-06-01T10:00:00Z');
    const survey = { ...step, key: 'ask', category: 'surveys' as const, deadline: surveyDeadline(30, 0) };
    expect(decide(facts({ step: survey, dueAt: due, now: due + 29 * 86_400_000 })).action).toBe('send');
    expect(decide(facts({ step: survey, dueAt: due, now: due + 31 * 86_400_000 }))).toEqual({
      action: 'skip',
      reason: 'stale',
      detail: 'past its deadline 2026-07-01T10:00:00.000Z: the survey closes 30 days after it is asked',
    });
  });

  it('follows a delivery date that moved the step later', () => {
    const decision = decide(facts({ dueAt: noon + 2 * 86_400_000 }));
    expect(decision).toEqual({ action: 'postpone', until: noon + 2 * 86_400_000, reason: 'follows-delivery-date' });
  });

  it('sends alerts to the store at any hour, even when the customer unsubscribed', () => {
    const alert: PlannedStep = { ...step, key: 'detractor-alert', to: 'store', category: 'service', anchor: 'none' };
    const threeAm = Date.parse('2026-06-10T01:00:00Z');
    expect(
      decide(
        facts({ step: alert, now: threeAm, profile: { storeId: 'demo', customerKey: 'k', unsubscribedAll: true } }),
      ),
    ).toEqual({ action: 'send' });
  });
});
