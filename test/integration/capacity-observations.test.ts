import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { localStateMachineArn } from '../../local-cloud/stepfunctions.ts';
import { purchase, startTestCloud } from '../support/local.ts';

const START = Date.parse('2030-03-04T10:00:00Z');
const DAY = 86_400_000;

/** A follow-up run that waits far away for its one step, so it stays open. */
function waitingRun(name: string) {
  return JSON.stringify({
    version: 2,
    storeId: 'demo',
    orderId: name,
    sequence: 'follow-up',
    name,
    plannedAt: '2030-03-04T10:00:00.000Z',
    steps: [{ key: 'thanks', template: 'follow-up/thanks', at: '2031-01-01T00:00:00.000Z' }],
    wakes: [{ step: 0, at: '2030-12-01T00:00:00.000Z' }],
    generation: 0,
  });
}

// What bench:capacity prints comes from these counters: they must see what the local cloud did, refusals included.
describe('the local cloud’s capacity counters', () => {
  let cloud: LocalCloud;
  let sfn: SFNClient;
  beforeAll(async () => {
    cloud = await startTestCloud({ timeScale: 1, startAt: START });
    sfn = new SFNClient({ maxAttempts: 1 });
  });
  afterAll(async () => {
    sfn?.destroy();
    await cloud?.stop();
  });

  it('count every StartExecution call in its second, the refused ones by error, and the peak of open executions', async () => {
    // Prepare
    const open = cloud.stepFunctions.stats().byStatus.RUNNING ?? 0;
    cloud.stepFunctions.limits.maxOpenExecutions = open + 2;
    const before = {
      calls: cloud.stepFunctions.observed.startCalls.total,
      started: cloud.stepFunctions.observed.started,
    };

    // Act
    const results = await Promise.allSettled(
      ['open-a', 'open-b', 'open-c'].map((name) =>
        sfn.send(
          new StartExecutionCommand({
            stateMachineArn: localStateMachineArn('follow-up'),
            name,
            input: waitingRun(name),
          }),
        ),
      ),
    );

    // Assess
    const observed = cloud.stepFunctions.observed;
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(observed.startCalls.total - before.calls).toBe(3);
    expect(observed.started - before.started).toBe(2);
    expect(observed.startRefusals.ExecutionLimitExceeded).toBe(1);
    expect(observed.peakOpen).toBe(open + 2);
    cloud.stepFunctions.limits.maxOpenExecutions = 1_000_000;
  });

  it('see a purchase’s emails as wakes of its workflows and as sends, as many as reached the inbox', async () => {
    // Prepare
    const sentBefore = cloud.ses.observed.accepted.total;
    const inboxBefore = (await cloud.ses.inbox()).length;

    // Act
    await purchase(cloud, { orderId: 'observed-1', email: 'observed-1@example.com' });
    await cloud.fastForward(cloud.clock.now() + 10 * DAY);

    // Assess
    const sent = cloud.ses.observed.accepted.total - sentBefore;
    const wakes = [...cloud.stepFunctions.observed.wakes.values()].reduce((sum, w) => sum + w.total, 0);
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBe((await cloud.ses.inbox()).length - inboxBefore);
    expect(wakes).toBeGreaterThanOrEqual(sent);
    expect(cloud.dynamodb.observed.writes.total).toBeGreaterThan(0);
    expect(cloud.stepFunctions.observed.transitions.total).toBe(cloud.stepFunctions.stats().transitions);
  });
});
