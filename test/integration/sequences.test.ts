import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import {
  countBySequenceStep,
  decisionsOf,
  emailsTo,
  header,
  postWebhook,
  purchase,
  startTestCloud,
  waitForDecision,
} from '../support/local.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const amsterdamHour = (iso: string) =>
  Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', hourCycle: 'h23' }).format(
      Date.parse(iso),
    ),
  );
const sentAt = (decision: { history: { status: string; at: string }[] }) =>
  decision.history.find((h) => h.status === 'sending')?.at ?? '';

describe('one purchase through all four sequences on the accelerated clock', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud({ timeScale: 2_592_000 });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('sends thanks, check-in, survey, reminder, offer and warranty reminder in order, in the sending window, a day apart', async () => {
    const orderId = await purchase(cloud, { email: 'full@example.com' });
    await waitForDecision(orderId, 'upgrade-offer#offer-BAGS-10', 'sent');
    // Jump close to the warranty reminder (23 months away) instead of waiting 23 real seconds.
    const planned = (await decisionsOf(orderId))['warranty-reminder#warranty-24m'];
    expect(planned).toBeUndefined();
    cloud.clock.advance(Date.parse('2028-01-01T00:00:00Z') > cloud.clock.now() ? 600 * DAY : 0);
    const warranty = await waitForDecision(orderId, 'warranty-reminder#warranty-24m', 'sent');

    const decisions = await decisionsOf(orderId);
    const order = [
      'follow-up#thanks',
      'follow-up#check-in',
      'satisfaction-survey#ask',
      'satisfaction-survey#reminder',
      'upgrade-offer#offer-BAGS-10',
      'warranty-reminder#warranty-24m',
    ];
    const times = order.map((key) => sentAt(decisions[key] ?? { history: [] }));
    expect(times.every(Boolean)).toBe(true);
    expect([...times].sort()).toEqual(times);
    for (const [index, key] of order.entries()) {
      const decision = decisions[key];
      const time = times[index] ?? '';
      expect(decision?.status, key).toBe('sent');
      expect(amsterdamHour(time), `${key} at ${time}`).toBeGreaterThanOrEqual(9);
      expect(amsterdamHour(time), `${key} at ${time}`).toBeLessThan(20);
      // Sent at its planned time, or later only because of the cap or the window, never earlier.
      expect(Date.parse(time)).toBeGreaterThanOrEqual(Date.parse(decision?.plannedAt ?? '') - HOUR);
      if (index > 0)
        expect(Date.parse(time) - Date.parse(times[index - 1] ?? '')).toBeGreaterThanOrEqual(24 * HOUR - 60_000);
    }
    // The warranty reminder comes 30 days before the 24-month warranty ends (delivery assumed 3 days after purchase).
    expect(Date.parse(warranty.plannedAt ?? '')).toBeGreaterThan(Date.parse(times[0] ?? '') + 22 * 30 * DAY);

    const inbox = await emailsTo(cloud, 'full@example.com');
    expect(
      inbox.map((email) => `${header(email, 'X-Aftercare-Sequence')}/${header(email, 'X-Aftercare-Step')}`),
    ).toEqual([
      'follow-up/thanks',
      'follow-up/check-in',
      'satisfaction-survey/ask',
      'satisfaction-survey/reminder',
      'upgrade-offer/offer-BAGS-10',
      'warranty-reminder/warranty-24m',
    ]);
  });

  it('reminds about a 3-year warranty 35 months later, across several executions', async () => {
    const orderId = await purchase(cloud, {
      email: 'coffee@example.com',
      productType: 'Espresso machine',
      tags: ['coffee'],
      sku: 'ESP-1',
      title: 'Barista One',
    });
    await waitForDecision(orderId, 'follow-up#thanks', 'sent');
    const start = cloud.clock.now();
    const warrantyMachine = 'arn:aws:states:us-east-1:000000000000:stateMachine:aftercare-warranty-reminder';
    // Every execution the run had, those closed more than 90 days ago included (ListExecutions, as on AWS, no
    // longer returns them): the local cloud's own record of lifetimes.
    const chain = async () =>
      cloud.stepFunctions
        .lifetimes()
        .filter((e) => e.stateMachineArn === warrantyMachine && e.name.includes(orderId.slice(-12)));
    // Three years, event by event: every wait (and every hop into a continuation) fires at its own moment.
    await cloud.fastForward(start + 1100 * DAY);
    const reminder = await waitForDecision(orderId, 'warranty-reminder#warranty-36m', 'sent');
    expect(Date.parse(sentAt(reminder)) - start).toBeGreaterThan(34 * 30 * DAY);
    const executions = await chain();
    expect(executions.length).toBeGreaterThanOrEqual(3); // 36 months minus 30 days: two continuations
    for (const execution of executions) {
      const lasted = (execution.stopDate ?? cloud.clock.now()) - execution.startDate; // ms
      expect(lasted, execution.name).toBeLessThan(365 * DAY);
    }
    const email = (await emailsTo(cloud, 'coffee@example.com')).find(
      (e) => header(e, 'X-Aftercare-Sequence') === 'warranty-reminder',
    );
    expect(email?.body.text).toContain('Barista One');
  });
});

describe('a postponed step continues the run in a new execution', () => {
  let cloud: LocalCloud;
  // Virtual time moves only by fast-forwarding (scale 1): every wait fires at its exact moment.
  const start = Date.parse('2030-03-04T08:00:00Z');
  beforeAll(async () => {
    cloud = await startTestCloud({ timeScale: 1, startAt: start });
  });
  afterAll(async () => {
    await cloud?.stop();
  });
  const followUpRuns = async (orderId: string) =>
    (
      await cloud.stepFunctions.listExecutions({
        stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:aftercare-follow-up',
      })
    ).executions.filter((e) => e.name.includes(orderId.slice(-12)));

  it('two orders at once: one thanks, one check-in and one survey for both, the other order’s covered, says whose', async () => {
    const email = 'twice@example.com';
    const first = await purchase(cloud, { orderId: 'cap-first', email, sku: 'TOAST-2', productType: 'Toaster' });
    const second = await purchase(cloud, { orderId: 'cap-second', email, sku: 'KETTLE-1', productType: 'Kettle' });
    await cloud.fastForward(start + 40 * DAY);

    const decisions = { [first]: await decisionsOf(first), [second]: await decisionsOf(second) };
    for (const step of ['follow-up#thanks', 'follow-up#check-in', 'satisfaction-survey#ask']) {
      const sent = [first, second].filter((order) => decisions[order]?.[step]?.status === 'sent');
      expect(sent, step).toHaveLength(1);
      const other = sent[0] === first ? second : first;
      expect(decisions[other]?.[step]?.reason, step).toBe('covered');
      expect(decisions[other]?.[step]?.detail, step).toContain(`order ${sent[0]}'s went out`);
    }
    // Never two emails to the customer within 24 hours, and each sent step exactly once.
    const sends = [...Object.values(decisions[first] ?? {}), ...Object.values(decisions[second] ?? {})].filter(
      (d) => d.status === 'sent',
    );
    const times = sends.map((d) => Date.parse(sentAt(d))).sort((x, y) => x - y);
    for (let i = 1; i < times.length; i += 1)
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(24 * HOUR - 60_000);
    expect((await emailsTo(cloud, email)).length).toBe(sends.length);
    const runs = [...(await followUpRuns(first)), ...(await followUpRuns(second))];
    expect(runs.every((r) => r.status === 'SUCCEEDED')).toBe(true);
  });

  it('cancelling the order stops the continuation too, and nothing more is sent for it', async () => {
    const email = 'changed-mind@example.com';
    await purchase(cloud, { orderId: 'kept-order', email, sku: 'TOAST-2', productType: 'Toaster' });
    // Nine days later, so its thanks (not covered by the first one's, long past) meets the first order's check-in.
    await cloud.fastForward(cloud.clock.now() + 9 * DAY + 2 * HOUR);
    const orderId = await purchase(cloud, {
      orderId: 'cancelled-order',
      email,
      sku: 'KETTLE-1',
      productType: 'Kettle',
    });
    // The second order's thanks waits a day for the cap (its slot in the queue), in a continuation.
    for (let hours = 0; (await decisionsOf(orderId))['follow-up#thanks']?.status !== 'postponed'; hours += 6) {
      expect(hours).toBeLessThan(10 * 24);
      await cloud.fastForward(cloud.clock.now() + 6 * HOUR);
    }
    expect((await decisionsOf('kept-order'))['follow-up#check-in']?.status).toBe('sent');
    expect((await decisionsOf(orderId))['follow-up#thanks']?.reason).toBe('frequency-cap');
    // The postponed thanks waits in a continuation (the one execution still running for this order).
    expect((await followUpRuns(orderId)).filter((r) => r.status === 'RUNNING')).toHaveLength(1);

    const body = JSON.stringify({ type: 'order.cancelled', data: { id: orderId } });
    expect((await postWebhook(cloud, 'generic', body)).status).toBe(200);
    await cloud.fastForward(cloud.clock.now() + 40 * DAY);

    expect((await followUpRuns(orderId)).map((r) => r.status)).toContain('ABORTED');
    expect((await followUpRuns(orderId)).filter((r) => r.status === 'RUNNING')).toEqual([]);
    const decisions = await decisionsOf(orderId);
    expect(Object.values(decisions).filter((d) => d.status === 'sent')).toEqual([]);
  });

  it('a delivery later than assumed moves the thanks and the check-in after it, each sent once', async () => {
    const email = 'late-parcel@example.com';
    const orderId = await purchase(cloud, { orderId: 'late-parcel', email });
    // Assumed 3 days after the purchase; it arrives half a day later, before the thanks (planned a day after 3 days).
    const deliveredAt = cloud.clock.now() + 3.5 * DAY;
    await cloud.fastForward(deliveredAt);
    const body = JSON.stringify({
      type: 'order.delivered',
      data: { id: orderId, delivered_at: new Date(deliveredAt).toISOString() },
    });
    expect((await postWebhook(cloud, 'generic', body)).status).toBe(200);
    await cloud.fastForward(deliveredAt + 30 * DAY);

    const decisions = await decisionsOf(orderId);
    const thanks = decisions['follow-up#thanks'];
    const checkIn = decisions['follow-up#check-in'];
    expect(thanks?.history.find((h) => h.status === 'postponed')?.reason).toBe('follows-delivery-date');
    expect(Date.parse(sentAt(thanks ?? { history: [] }))).toBeGreaterThanOrEqual(deliveredAt + 1 * DAY - HOUR);
    expect(Date.parse(sentAt(checkIn ?? { history: [] }))).toBeGreaterThanOrEqual(deliveredAt + 10 * DAY - HOUR);
    // The check-in was moved with the thanks, not postponed once more.
    expect(checkIn?.history.map((h) => h.status)).toEqual(['sending', 'sent']);
    expect(countBySequenceStep(await emailsTo(cloud, email))).toMatchObject({
      'follow-up/thanks': 1,
      'follow-up/check-in': 1,
    });
  });
});
