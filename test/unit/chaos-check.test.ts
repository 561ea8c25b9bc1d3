import { describe, expect, it } from 'vitest';
import { checkInvariants } from '../bench/chaos/check.ts';
import type { Acknowledged } from '../bench/chaos/run.ts';

const END = Date.parse('2031-06-01T00:00:00Z');
const at = (day: number) => new Date(Date.parse('2031-01-01T00:00:00Z') + day * 86_400_000).toISOString();

const purchaseItem = (orderId: string, email: string, steps: { key: string; day: number }[]) => ({
  PK: `PURCHASE#demo#${orderId}`,
  SK: 'PURCHASE',
  orderId,
  status: 'open',
  purchase: { customer: { email } },
  sequences: { 'follow-up': { steps: steps.map((s) => ({ key: s.key, at: at(s.day), to: 'customer' })) } },
});
const sent = (orderId: string, step: string, day: number, messageId: string, sends = 1) => ({
  PK: `PURCHASE#demo#${orderId}`,
  SK: `STEP#follow-up#${step}`,
  status: 'sent',
  messageId,
  history: Array.from({ length: sends }, () => ({ status: 'sent', at: at(day) })),
});
const email = (to: string, step: string, messageId: string) => ({
  messageId,
  from: 'shop@example.com',
  destination: { to: [to], cc: [], bcc: [] },
  subject: 's',
  body: {},
  headers: [
    { name: 'X-Aftercare-Sequence', value: 'follow-up' },
    { name: 'X-Aftercare-Step', value: step },
  ],
  at: 0,
});
const acknowledged = (overrides: Partial<Acknowledged> = {}): Acknowledged => ({
  orders: new Map([['o1', 'a@example.com']]),
  refundedAt: new Map(),
  unsubscribedAt: new Map(),
  bouncedAt: new Map(),
  unacknowledged: 0,
  ...overrides,
});

describe('the chaos checker judges by the table and the inbox', () => {
  it('passes a purchase whose due steps were each sent once or skipped with a reason', () => {
    const items = [
      purchaseItem('o1', 'a@example.com', [
        { key: 'thanks', day: 1 },
        { key: 'check-in', day: 10 },
      ]),
      sent('o1', 'thanks', 1, 'm1'),
      { PK: 'PURCHASE#demo#o1', SK: 'STEP#follow-up#check-in', status: 'skipped', reason: 'stale', history: [] },
    ];
    const verdict = checkInvariants({
      items,
      inbox: [email('a@example.com', 'thanks', 'm1')],
      acknowledged: acknowledged(),
      endsAt: END,
    });
    expect(verdict.violations).toEqual([]);
    expect(verdict.unsentByReason).toEqual({ stale: 1 });
  });

  it('counts a second email for the same purchase and step as a duplicate', () => {
    const items = [purchaseItem('o1', 'a@example.com', [{ key: 'thanks', day: 1 }]), sent('o1', 'thanks', 1, 'm2')];
    const inbox = [email('a@example.com', 'thanks', 'm1'), email('a@example.com', 'thanks', 'm2')];
    const verdict = checkInvariants({ items, inbox, acknowledged: acknowledged(), endsAt: END });
    expect(verdict.invariants.duplicateEmails).toBe(1);
    expect(verdict.violations[0]).toMatchObject({ orderId: 'o1', step: 'follow-up#thanks' });
  });

  it('flags an email sent after the refund, the unsubscribe or the bounce was acknowledged', () => {
    const items = [purchaseItem('o1', 'a@example.com', [{ key: 'thanks', day: 5 }]), sent('o1', 'thanks', 5, 'm1')];
    const before = Date.parse(at(4));
    const verdict = checkInvariants({
      items,
      inbox: [email('a@example.com', 'thanks', 'm1')],
      acknowledged: acknowledged({
        refundedAt: new Map([['o1', before]]),
        unsubscribedAt: new Map([['a@example.com', before]]),
        bouncedAt: new Map([['a@example.com', before]]),
      }),
      endsAt: END,
    });
    expect(verdict.invariants).toMatchObject({ emailsAfterRefund: 1, emailsAfterUnsubscribe: 1, emailsAfterBounce: 1 });
  });

  it('flags an acknowledged purchase missing from the table and a due step never decided', () => {
    const items = [purchaseItem('o2', 'b@example.com', [{ key: 'thanks', day: 1 }])];
    const verdict = checkInvariants({ items, inbox: [], acknowledged: acknowledged(), endsAt: END });
    expect(verdict.invariants.acknowledgedPurchasesLost).toBe(1);
    expect(verdict.invariants.dueEmailsUnexplained).toBe(1);
    expect(verdict.violations.map((v) => v.orderId).sort()).toEqual(['o1', 'o2']);
  });

  it('explains a step left postponed when a refund stopped its run, but not on an open purchase', () => {
    const postponed = {
      PK: 'PURCHASE#demo#o1',
      SK: 'STEP#follow-up#thanks',
      status: 'postponed',
      reason: 'quiet-hours',
      until: at(2),
      history: [],
    };
    const refunded = { ...purchaseItem('o1', 'a@example.com', [{ key: 'thanks', day: 1 }]), status: 'refunded' };
    const open = purchaseItem('o1', 'a@example.com', [{ key: 'thanks', day: 1 }]);
    const judge = (purchase: Record<string, unknown>) =>
      checkInvariants({ items: [purchase, postponed], inbox: [], acknowledged: acknowledged(), endsAt: END });
    expect(judge(refunded).unsentByReason).toEqual({ 'run stopped: purchase refunded (was postponed)': 1 });
    expect(judge(open).invariants.dueEmailsUnexplained).toBe(1);
  });

  it('does not count a step planned after the end of the run as due', () => {
    const items = [purchaseItem('o1', 'a@example.com', [{ key: 'warranty-24m', day: 900 }])];
    const verdict = checkInvariants({ items, inbox: [], acknowledged: acknowledged(), endsAt: END });
    expect(verdict.violations).toEqual([]);
    expect(verdict.dueSteps).toBe(0);
  });
});
