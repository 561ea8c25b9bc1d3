import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../functions/shared/config/file.ts';
import type { AftercareConfig } from '../../../functions/shared/config/schema.ts';
import {
  deadlineOf,
  offerDeadline,
  STALE_AFTER,
  warrantyDeadline,
} from '../../../functions/shared/domain/deadlines.ts';
import { spreadIntoWindow, spreadOffsetMs } from '../../../functions/shared/domain/pacing.ts';
import { planSequence } from '../../../functions/shared/domain/plan.ts';
import { admit, assignSlots, type PendingEmail, PRIORITY } from '../../../functions/shared/domain/queue.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const quiet = { start: 9, end: 20 };
const config: AftercareConfig = loadConfigFile();
const store = config.stores[0] as AftercareConfig['stores'][number];

function email(sendKey: string, overrides: Partial<PendingEmail> = {}): PendingEmail {
  return { sendKey, orderId: sendKey, priority: PRIORITY.tips, dueAt: 0, deadline: 100 * DAY, ...overrides };
}

describe('spreading customer mail over the sending window', () => {
  it('gives each customer a stable offset within the span, and different customers different offsets', () => {
    const offsets = Array.from({ length: 200 }, (_, n) => spreadOffsetMs(`customer-${n}@example.com`, 180));
    expect(offsets).toEqual(Array.from({ length: 200 }, (_, n) => spreadOffsetMs(`customer-${n}@example.com`, 180)));
    expect(Math.min(...offsets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...offsets)).toBeLessThan(180 * 60_000);
    expect(new Set(offsets).size).toBeGreaterThan(190);
    expect(spreadOffsetMs('anyone@example.com', 0)).toBe(0);
  });

  it('moves a time in quiet hours to the window start plus the offset, and leaves a time in the window alone', () => {
    const threeAm = Date.parse('2026-06-10T01:00:00Z'); // 03:00 in Amsterdam
    expect(spreadIntoWindow(threeAm, 'Europe/Amsterdam', quiet, 42 * 60_000)).toBe(Date.parse('2026-06-10T07:42:00Z'));
    const noon = Date.parse('2026-06-10T10:00:00Z');
    expect(spreadIntoWindow(noon, 'Europe/Amsterdam', quiet, 42 * 60_000)).toBe(noon);
  });

  it('keeps the offset inside a window shorter than the span', () => {
    const threeAm = Date.parse('2026-06-10T01:00:00Z');
    const at = spreadIntoWindow(threeAm, 'Europe/Amsterdam', { start: 9, end: 10 }, 90 * 60_000);
    expect(at).toBe(Date.parse('2026-06-10T07:30:00Z'));
  });

  it('plans one customer’s steps due at night at the same local time every day, no longer all at 09:00:00 (tips 2 minutes after surveys)', () => {
    const purchase = {
      storeId: 'demo',
      platform: 'generic' as const,
      orderId: 'o-1',
      customer: { email: 'same@example.com', marketingConsent: true },
      lineItems: [{ lineId: 'l1', title: 'Kettle', quantity: 1, price: '10.00', currency: 'EUR', tags: [] }],
      currency: 'EUR',
      purchasedAt: '2026-06-10T01:00:00Z', // 03:00 in Amsterdam: thanks and check-in fall at night
      status: 'open' as const,
      refundedLineIds: [],
    };
    const plan = planSequence('follow-up', purchase, { config, store, now: Date.parse(purchase.purchasedAt) });
    const offset = spreadOffsetMs('same@example.com', config.sending.spreadMinutes);
    const times = (plan?.steps ?? []).map((step) => new Date(step.at).toISOString().slice(11));
    expect(new Set(times)).toEqual(
      new Set([new Date(Date.parse('2026-06-10T07:00:00Z') + offset + 2 * 60_000).toISOString().slice(11)]),
    );
  });
});

describe('deadlines planned with each step', () => {
  it('plans a deadline for every kind of step, which the why trail names', () => {
    const purchase = {
      storeId: 'demo',
      platform: 'generic' as const,
      orderId: 'o-2',
      customer: { email: 'd@example.com', marketingConsent: true },
      lineItems: [
        {
          lineId: 'l1',
          title: 'Vacuum',
          quantity: 1,
          price: '10.00',
          currency: 'EUR',
          productType: 'Vacuum cleaner',
          tags: [],
        },
      ],
      currency: 'EUR',
      purchasedAt: '2026-06-10T10:00:00Z',
      status: 'open' as const,
      refundedLineIds: [],
    };
    const context = { config, store, now: Date.parse(purchase.purchasedAt) };
    const steps = (['follow-up', 'satisfaction-survey', 'warranty-reminder', 'upgrade-offer'] as const).flatMap(
      (sequence) => planSequence(sequence, purchase, context)?.steps ?? [],
    );
    const deadlines = Object.fromEntries(steps.map((step) => [step.key, step.deadline]));
    expect(deadlines.thanks).toEqual({ afterDueMs: 3 * DAY, why: 'a thanks more than 3 days late is worse than none' });
    expect(deadlines.ask?.afterDueMs).toBe(30 * DAY);
    expect(deadlines.reminder?.afterDueMs).toBe(26 * DAY);
    expect(deadlines['warranty-24m']).toEqual({ afterDueMs: 30 * DAY, why: 'the warranty ends' });
    expect(deadlines['offer-BAGS-10']?.afterDueMs).toBe(30 * DAY);
  });

  it('ends an offer when its code expires, whichever comes first', () => {
    const due = Date.parse('2026-06-01T10:00:00Z');
    const step = { category: 'offers' as const, deadline: offerDeadline('2026-06-05T00:00:00Z') };
    expect(deadlineOf(step, due).at).toBe(Date.parse('2026-06-05T00:00:00Z'));
    expect(deadlineOf({ ...step, deadline: offerDeadline(undefined) }, due).at).toBe(due + 30 * DAY);
  });

  it('moves with the due time (a later delivery) and falls back to STALE_AFTER for old plans', () => {
    const step = { category: 'warranty' as const, deadline: warrantyDeadline(30) };
    expect(deadlineOf(step, 5 * DAY).at).toBe(35 * DAY);
    expect(deadlineOf({ category: 'tips' }, 5 * DAY)).toEqual({
      at: 5 * DAY + STALE_AFTER.tips,
      why: 'woke long past its due time',
      planned: false,
    });
  });
});

describe('the frequency cap as a queue', () => {
  const place = (at: number) => at;
  it('orders by priority: surveys before tips, warranty and offers waiting at the same time', () => {
    const pending = [
      email('offer', { priority: PRIORITY.offers }),
      email('warranty', { priority: PRIORITY.warranty }),
      email('thanks', { priority: PRIORITY.tips }),
      email('survey', { priority: PRIORITY.surveys }),
    ];
    const slots = assignSlots(pending, { now: 0, capMs: DAY, place });
    expect([...slots.entries()]).toEqual([
      ['survey', { slot: 0 }],
      ['thanks', { slot: DAY }],
      ['warranty', { slot: 2 * DAY }],
      ['offer', { slot: 3 * DAY }],
    ]);
  });

  it('gives each email one definite slot spaced by the cap, after the last send, moved into the window', () => {
    const pending = [email('a', { dueAt: 0 }), email('b', { dueAt: 0 }), email('c', { dueAt: 10 * HOUR })];
    const intoDaytime = (at: number) => (at % DAY < 9 * HOUR ? at - (at % DAY) + 9 * HOUR : at);
    const slots = assignSlots(pending, { now: 0, capMs: 24 * HOUR, lastSentAt: -12 * HOUR, place: intoDaytime });
    expect(slots.get('a')).toEqual({ slot: 12 * HOUR });
    expect(slots.get('b')).toEqual({ slot: 36 * HOUR });
    expect(slots.get('c')).toEqual({ slot: 60 * HOUR });
  });

  it('does not let a higher priority that is not yet due hold back one that is', () => {
    const pending = [
      email('survey', { priority: PRIORITY.surveys, dueAt: 5 * DAY }),
      email('offer', { priority: PRIORITY.offers }),
    ];
    const slots = assignSlots(pending, { now: 0, capMs: DAY, place });
    expect(slots.get('offer')).toEqual({ slot: 0 });
    expect(slots.get('survey')).toEqual({ slot: 5 * DAY });
  });

  it('marks an email whose slot would fall after its deadline as stale, and it takes no slot', () => {
    const pending = [email('a'), email('b', { deadline: HOUR }), email('c')];
    const slots = assignSlots(pending, { now: 0, capMs: DAY, place });
    expect(slots.get('b')).toEqual({ stale: true });
    expect(slots.get('c')).toEqual({ slot: DAY });
  });

  it('admits: send when the slot is now, wait for a later one, stale past the deadline, covered by another order', () => {
    const request = { now: 0, capMs: DAY, coverMs: DAY, place };
    const first = admit({}, { ...request, email: email('o1#thanks', { orderId: 'o1' }), kind: 'thanks' });
    expect(first.admission).toEqual({ action: 'send' });
    expect(first.next.lastSentOf).toEqual({ thanks: { at: 0, orderId: 'o1' } });

    const later = { ...request, now: HOUR };
    const covered = admit(first.next, { ...later, email: email('o2#thanks', { orderId: 'o2' }), kind: 'thanks' });
    expect(covered.admission).toEqual({ action: 'covered', kind: 'thanks', by: { at: 0, orderId: 'o1' } });

    const waits = admit(first.next, {
      ...later,
      email: email('o2#ask', { orderId: 'o2', priority: 1 }),
      kind: 'survey',
    });
    expect(waits.admission).toEqual({ action: 'wait', slot: DAY, ahead: 0 });
    expect(waits.next.pending?.map((entry) => entry.sendKey)).toEqual(['o2#ask']);

    const tooLate = admit(first.next, { ...later, email: email('o3#offer', { orderId: 'o3', deadline: 2 * HOUR }) });
    expect(tooLate.admission).toEqual({ action: 'stale', deadline: 2 * HOUR });
    expect(tooLate.next.pending ?? []).toEqual([]);
  });

  it('covers a second order’s offer of the same product by the one already queued, so only one wakes for it', () => {
    const request = { now: 0, capMs: DAY, coverMs: 365 * DAY, place, kind: 'offer-BAGS' };
    const held = { lastSentAt: 0, lastSentKey: 'o0#check-in' };
    const first = admit(held, { ...request, now: HOUR, email: email('o1#offer', { orderId: 'o1', priority: 4 }) });
    expect(first.admission).toEqual({ action: 'wait', slot: DAY, ahead: 0 });
    const second = admit(first.next, {
      ...request,
      now: 2 * HOUR,
      email: email('o2#offer', { orderId: 'o2', priority: 4 }),
    });
    expect(second.admission).toEqual({ action: 'covered', kind: 'offer-BAGS', queued: { orderId: 'o1', slot: DAY } });
    expect(second.next.pending?.map((entry) => entry.sendKey)).toEqual(['o1#offer']);
  });

  it('gives a retried send its slot back instead of queueing it behind itself', () => {
    const sent = admit({}, { now: 0, capMs: DAY, coverMs: 0, place, email: email('o1#thanks') });
    expect(admit(sent.next, { now: 1000, capMs: DAY, coverMs: 0, place, email: email('o1#thanks') }).admission).toEqual(
      {
        action: 'send',
      },
    );
  });
});
