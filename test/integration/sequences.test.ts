import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { decisionsOf, emailsTo, header, purchase, startTestCloud, waitForDecision } from '../support/local.ts';

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
    const chain = async () =>
      (await cloud.stepFunctions.listExecutions({ stateMachineArn: warrantyMachine })).executions.filter((e) =>
        e.name.includes(orderId.slice(-12)),
      );
    // Three years, event by event: every wait (and every hop into a continuation) fires at its own moment.
    await cloud.fastForward(start + 1100 * DAY);
    const reminder = await waitForDecision(orderId, 'warranty-reminder#warranty-36m', 'sent');
    expect(Date.parse(sentAt(reminder)) - start).toBeGreaterThan(34 * 30 * DAY);
    const executions = await chain();
    expect(executions.length).toBeGreaterThanOrEqual(3); // 36 months minus 30 days: two continuations
    for (const execution of executions) {
      const lasted = ((execution.stopDate ?? cloud.clock.now() / 1000) - execution.startDate) * 1000;
      expect(lasted, execution.name).toBeLessThan(365 * DAY);
    }
    const email = (await emailsTo(cloud, 'coffee@example.com')).find(
      (e) => header(e, 'X-Aftercare-Sequence') === 'warranty-reminder',
    );
    expect(email?.body.text).toContain('Barista One');
  });
});
