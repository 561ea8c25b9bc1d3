import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../functions/shared/domain/run.ts';
import { SEQUENCES } from '../../functions/shared/domain/vocabulary.ts';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { localStateMachineArn } from '../../local-cloud/stepfunctions.ts';
import { purchase, startTestCloud, writeTestConfig } from '../support/local.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ORDERS = 1000;
const MAX_PER_SECOND = 2;
// A toaster: the defaults only (follow-up, survey, 24-month warranty), the lightest real plan.
const toaster = { productType: 'Toaster', sku: 'TOAST-2', title: 'Toaster', tags: [] };

// Issue 13: a store's 1,000 orders of one day in one time zone, through the real planner. The bound is set low (2 a
// second, over a 30-minute spread) so that it binds: without the wake-slot counter several seconds would hold 3+.
describe('a store’s 1,000 orders of one day', () => {
  let cloud: LocalCloud;
  const day = Date.parse('2030-05-06T22:00:00Z'); // midnight in Amsterdam (CEST)
  const emailOf = (n: number) => `shopper-${n % 10 === 3 ? n - 3 : n}@example.com`; // every tenth orders twice
  let runs: Run[] = [];
  beforeAll(async () => {
    const configFile = await writeTestConfig((config) => {
      config.sending.spreadMinutes = 30;
      config.sending.maxWakesPerSecond = MAX_PER_SECOND;
    });
    // The day's orders reach Aftercare at its end (a late-evening import, or delayed webhooks): all future steps.
    cloud = await startTestCloud({ timeScale: 1, startAt: day + DAY, configFile });
    const started = Date.now();
    const queue = Array.from({ length: ORDERS }, (_, n) => n);
    const post = async () => {
      for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
        const createdAt = new Date(day + Math.floor((n * DAY) / ORDERS)).toISOString();
        await purchase(cloud, { orderId: `day-${n}`, email: emailOf(n), createdAt, ...toaster });
      }
    };
    await Promise.all(Array.from({ length: 8 }, post));
    const posted = Date.now();
    // Every order (the demo's vacuum cleaner) starts four runs: follow-up, survey, warranty, offer.
    // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the test's setup posts the orders and waits for their runs
    const listRuns = async (read: boolean) => {
      const found: Run[] = [];
      let count = 0;
      for (const sequence of SEQUENCES) {
        const arn = localStateMachineArn(sequence);
        let nextToken: string | undefined;
        do {
          const page = await cloud.stepFunctions.listExecutions({ stateMachineArn: arn, maxResults: 1000, nextToken });
          count += page.executions.length;
          for (const execution of read ? page.executions : []) {
            const { input } = cloud.stepFunctions.describeExecution({ executionArn: execution.executionArn });
            found.push(JSON.parse(input) as Run);
          }
          nextToken = page.nextToken;
        } while (nextToken);
      }
      return { found, count };
    };
    // Every order starts three runs: follow-up, survey, warranty.
    for (let polls = 0; (await listRuns(false)).count < 3 * ORDERS; polls += 1) {
      expect(polls, 'every order’s runs to start').toBeLessThan(480);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    runs = (await listRuns(true)).found;
    console.log(`${ORDERS} orders posted in ${posted - started} ms, all runs started after ${Date.now() - started} ms`);
  }, 180_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it('never puts more than maxWakesPerSecond Wait ends in one second, and the bound was reached', () => {
    expect(runs.length).toBeGreaterThanOrEqual(3 * ORDERS);
    const perSecond = new Map<number, number>();
    // Each planned step wakes the step function once at its time: in this execution, or (days away, so parked) in
    // the one the run keeper starts shortly before it, which waits for that same timestamp.
    for (const run of runs) {
      for (const step of run.steps) {
        const second = Math.floor(Date.parse(step.at) / 1000);
        perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
      }
    }
    const counts = [...perSecond.values()];
    const wakes = counts.reduce((sum, count) => sum + count, 0);
    console.log(
      `${wakes} wakes in ${counts.length} seconds, busiest second ${Math.max(...counts)} (${((Math.max(...counts) / wakes) * 100).toFixed(2)} %)`,
    );
    expect(Math.max(...counts)).toBe(MAX_PER_SECOND);
    expect(counts.filter((count) => count === MAX_PER_SECOND).length).toBeGreaterThan(10);
  });

  it('spreads the steps due at night over the morning, the same customer at the same time', () => {
    const thanks = (orderId: string) =>
      runs
        .find((run) => run.orderId === orderId && run.sequence === 'follow-up')
        ?.steps.find((s) => s.key === 'thanks');
    const timeOfDay = (at: string) => Date.parse(at) % DAY;
    // Orders placed 00:00–05:00 (due at night): their thanks are spread over 09:00–09:32 local, not all at 09:00:00.
    const night = Array.from({ length: 200 }, (_, n) => thanks(`day-${n}`)).filter((s) => s !== undefined);
    const times = new Set(night.map((step) => timeOfDay(step.at)));
    expect(times.size).toBeGreaterThan(100);
    for (const at of times) {
      expect(at).toBeGreaterThanOrEqual(7 * HOUR);
      expect(at).toBeLessThan(7 * HOUR + 33 * 60_000);
    }
    // A customer with two orders a few minutes apart in the night gets both thanks at the same moment.
    let pairs = 0;
    for (let n = 3; n < 200; n += 10) {
      const [a, b] = [thanks(`day-${n - 3}`), thanks(`day-${n}`)];
      if (!a || !b) continue;
      expect(Math.abs(timeOfDay(a.at) - timeOfDay(b.at)), `day-${n}`).toBeLessThanOrEqual(2_000);
      pairs += 1;
    }
    expect(pairs).toBeGreaterThanOrEqual(15);
  });
});
