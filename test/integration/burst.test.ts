import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { lambdaLimits } from '../../local-cloud/lambda-runtime.ts';
import { localStateMachineArn } from '../../local-cloud/stepfunctions.ts';
import { countBySequenceStep, decisionsOf, purchase, startTestCloud, writeTestConfig } from '../support/local.ts';

const DAY = 86_400_000;
const RUNS = 64;

// A1: with no spread (spreadMinutes 0) quiet hours move every step to 09:00:00.000 local; the wake-slot counter lets
// at most maxWakesPerSecond (10) of them wake in that second and moves the rest to the next seconds, and each
// workflow's step function has reserved concurrency 2: the others are refused with TooManyRequestsException.
// https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html (reserved concurrency, throttling)
// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html (Retry, JitterStrategy)
describe('a burst of steps due in the same second, with the step function reserved at 2', () => {
  let cloud: LocalCloud;
  // Orders at 03:00 in Amsterdam: every thanks (delivery + 1 day) falls in quiet hours and moves to 09:00:00.000.
  const start = Date.parse('2030-03-04T02:00:00Z');
  beforeAll(async () => {
    lambdaLimits.stepConcurrency = 2;
    const configFile = await writeTestConfig((config) => {
      config.sending.spreadMinutes = 0;
    });
    cloud = await startTestCloud({ timeScale: 1, startAt: start, configFile });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('sends every thanks exactly once, at most 10 a second from 09:02:00 (tips stagger 2 minutes), and fails no execution', async () => {
    // Prepare
    const createdAt = new Date(start).toISOString();
    const orders: string[] = [];
    for (let index = 0; index < RUNS; index += 1) {
      orders.push(await purchase(cloud, { orderId: `burst-${index}`, email: `burst-${index}@example.com`, createdAt }));
    }

    // Act
    await cloud.fastForward(start + 5 * DAY);

    // Assess
    const thanks = await Promise.all(orders.map(async (orderId) => (await decisionsOf(orderId))['follow-up#thanks']));
    expect(thanks.map((decision) => decision?.status)).toEqual(orders.map(() => 'sent'));
    const perSecond = new Map<string, number>();
    for (const decision of thanks) {
      const second = decision?.plannedAt?.slice(0, 19) ?? '?';
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    expect([...perSecond.entries()].sort()).toEqual([
      ['2030-03-08T08:02:00', 10],
      ['2030-03-08T08:02:01', 10],
      ['2030-03-08T08:02:02', 10],
      ['2030-03-08T08:02:03', 10],
      ['2030-03-08T08:02:04', 10],
      ['2030-03-08T08:02:05', 10],
      ['2030-03-08T08:02:06', 4],
    ]);
    const counts = countBySequenceStep(await cloud.ses.inbox());
    expect(counts['follow-up/thanks']).toBe(RUNS);
    const failed = await cloud.stepFunctions.listExecutions({
      stateMachineArn: localStateMachineArn('follow-up'),
      statusFilter: 'FAILED',
    });
    expect(failed.executions).toEqual([]);
  });
});
