import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../functions/shared/store/runs.ts';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { localStateMachineArn } from '../../local-cloud/stepfunctions.ts';
import { runCli } from '../../ops/cli.ts';
import { bufferIo } from '../../ops/command.ts';
import {
  countBySequenceStep,
  decisionsOf,
  emailsTo,
  postWebhook,
  purchase,
  startTestCloud,
  tableItems,
} from '../support/local.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function runOf(orderId: string, sequence: string): Promise<RunRecord | undefined> {
  const items = await tableItems();
  return items.find(
    (item) =>
      item.PK === `PURCHASE#demo#${orderId}` && String(item.SK).startsWith('RUN#') && item.sequence === sequence,
  ) as RunRecord | undefined;
}

const running = (cloud: LocalCloud, sequence: Parameters<typeof localStateMachineArn>[0]) =>
  cloud.stepFunctions.listExecutions({ stateMachineArn: localStateMachineArn(sequence), statusFilter: 'RUNNING' })
    .executions;

/** Moves virtual time in `stepMs` jumps until `done` holds (or `until` passes). */
async function forwardUntil(cloud: LocalCloud, stepMs: number, until: number, done: () => Promise<boolean>) {
  while (cloud.clock.now() < until) {
    if (await done()) return;
    await cloud.fastForward(Math.min(until, cloud.clock.now() + stepMs));
  }
  throw new Error('condition not reached in time');
}

describe('the run keeper: long waits hold no execution open, failed runs heal themselves', () => {
  let cloud: LocalCloud;
  const start = Date.parse('2030-03-04T08:00:00Z');
  beforeAll(async () => {
    cloud = await startTestCloud({ timeScale: 1, startAt: start });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('a 3-year warranty reminder arrives, with no execution open while its run is parked', async () => {
    // Prepare: a coffee machine (36-month warranty, reminder 30 days before it ends).
    const email = 'warranty-keeper@example.com';
    const orderId = await purchase(cloud, { email, tags: ['coffee'], sku: 'COF-1', title: 'Barista coffee machine' });

    // Act: a year later, long before the reminder; then the whole warranty.
    await cloud.fastForward(start + 400 * DAY);
    const parked = await runOf(orderId, 'warranty-reminder');
    const openWhileParked = running(cloud, 'warranty-reminder').length;
    await cloud.fastForward(start + 37 * 30 * DAY);

    // Assess: parked (no Wait in Step Functions), then sent exactly once, by a generation the keeper started.
    expect(parked?.state).toBe('parked');
    expect(openWhileParked).toBe(0);
    const decision = (await decisionsOf(orderId))['warranty-reminder#warranty-36m'];
    expect(decision?.status).toBe('sent');
    const sentAt = Date.parse(decision?.history.find((entry) => entry.status === 'sending')?.at ?? '');
    expect(sentAt - start).toBeGreaterThan(34 * 30 * DAY);
    expect(countBySequenceStep(await emailsTo(cloud, email))['warranty-reminder/warranty-36m']).toBe(1);
    const run = await runOf(orderId, 'warranty-reminder');
    expect(run?.state).toBe('done');
    expect(run?.history.map((entry) => entry.event)).toContain('unparked');
    expect((run as unknown as Record<string, unknown>).GSI3PK).toBeUndefined(); // out of the keeper's index
  });

  it('a thanks due tomorrow morning still waits inside its execution (no parking churn)', async () => {
    // Prepare: an order placed three days ago (assumed delivered today): its thanks is due tomorrow at 09:00.
    const email = 'near-wake@example.com';
    const createdAt = new Date(cloud.clock.now() - 3 * DAY + HOUR).toISOString();
    const orderId = await purchase(cloud, { email, createdAt });
    await cloud.fastForward(cloud.clock.now() + HOUR);

    // Act / Assess: the run is live in generation 0 with a running execution, then the thanks goes out from it.
    const live = await runOf(orderId, 'follow-up');
    expect(live?.state).toBe('live');
    expect(live?.generation).toBe(0);
    expect(running(cloud, 'follow-up').some((execution) => execution.name === live?.name)).toBe(true);
    await forwardUntil(cloud, 6 * HOUR, cloud.clock.now() + 3 * DAY, async () =>
      Boolean((await decisionsOf(orderId))['follow-up#thanks']),
    );
    const thanks = (await decisionsOf(orderId))['follow-up#thanks'];
    expect(thanks?.status).toBe('sent');
    const sentAt = Date.parse(thanks?.history.find((entry) => entry.status === 'sending')?.at ?? '');
    // Before the thanks went out the run was only started: never parked, never unparked (it parks afterwards,
    // for the check-in ten days later).
    const history = (await runOf(orderId, 'follow-up'))?.history ?? [];
    expect(history.filter((entry) => Date.parse(entry.at) < sentAt).map((entry) => entry.event)).toEqual(['started']);
  });

  it('an execution stopped mid-run is resumed by the keeper: each due email once, and why says so', async () => {
    // Prepare: a purchase whose thanks run has been unparked (generation 1 waits for the thanks).
    const email = 'healed@example.com';
    const orderId = await purchase(cloud, { email });
    await forwardUntil(cloud, 2 * HOUR, cloud.clock.now() + 6 * DAY, async () => {
      const run = await runOf(orderId, 'follow-up');
      return run?.state === 'live' && run.generation >= 1;
    });
    const waiting = await runOf(orderId, 'follow-up');
    const execution = running(cloud, 'follow-up').find((each) => each.name.startsWith(waiting?.name ?? '?'));
    expect(execution).toBeDefined();

    // Act: the execution is stopped (a bad deploy, an operator's mistake); then three weeks pass.
    cloud.stepFunctions.stopExecution({ executionArn: execution?.executionArn, error: 'Test.Killed' });
    await cloud.fastForward(cloud.clock.now() + 21 * DAY);

    // Assess: thanks and check-in each sent once; the run's history and `aftercare why` name the resumption.
    const decisions = await decisionsOf(orderId);
    expect(decisions['follow-up#thanks']?.status).toBe('sent');
    expect(decisions['follow-up#check-in']?.status).toBe('sent');
    const inbox = countBySequenceStep(await emailsTo(cloud, email));
    expect(inbox['follow-up/thanks']).toBe(1);
    expect(inbox['follow-up/check-in']).toBe(1);
    const history = (await runOf(orderId, 'follow-up'))?.history ?? [];
    expect(history).toContainEqual(expect.objectContaining({ event: 'resumed', reason: 'execution-aborted' }));
    const io = bufferIo();
    expect(await runCli(['why', '--store', 'demo', '--order', orderId], io)).toBe(0);
    expect(io.stdout).toMatch(/follow-up generation \d+: resumed by the run keeper: execution-aborted/);
    // A cancelled order's runs are closed by the keeper when they come due, and leave its index.
    const cancel = JSON.stringify({ type: 'order.cancelled', data: { id: orderId } });
    expect((await postWebhook(cloud, 'generic', cancel)).status).toBe(200);
    const fired = cloud.keeperSchedule.fired.length;
    await cloud.fastForward(cloud.clock.now() + 400 * DAY);
    const runs = (await tableItems()).filter(
      (item) => item.PK === `PURCHASE#demo#${orderId}` && String(item.SK).startsWith('RUN#'),
    );
    expect(runs.map((item) => [item.state, item.GSI3PK])).toEqual(runs.map(() => ['done', undefined]));
    expect(cloud.keeperSchedule.fired.length - fired).toBeLessThan(20); // a few passes, not one every 5 minutes
  });
});
