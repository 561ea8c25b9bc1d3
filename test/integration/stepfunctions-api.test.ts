import { SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { STEP_FUNCTIONS_LIMITS } from '../../local-cloud/sfn-limits.ts';
import { localStateMachineArn } from '../../local-cloud/stepfunctions.ts';
import { startTestCloud } from '../support/local.ts';

const DAY = 86_400_000;
const stateMachineArn = localStateMachineArn('follow-up');

/** A follow-up run that waits (far away) for its one step: it stays open until stopped. */
function waitingRun(name: string, padding = '') {
  return JSON.stringify({
    version: 2,
    storeId: 'demo',
    orderId: name,
    sequence: 'follow-up',
    name,
    plannedAt: '2030-01-01T00:00:00.000Z',
    steps: [{ key: 'thanks', template: 'follow-up/thanks', at: '2031-01-01T00:00:00.000Z', padding }],
    wakes: [{ step: 0, at: '2030-12-01T00:00:00.000Z' }],
    generation: 0,
  });
}

/** What the AWS SDK reports for a refused call: the error name. */
async function refusal(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'accepted';
  } catch (error) {
    return (error as Error).name;
  }
}

describe('the local Step Functions API refuses what Step Functions refuses', () => {
  let cloud: LocalCloud;
  let sfn: SFNClient;
  beforeAll(async () => {
    cloud = await startTestCloud({ timeScale: 1, startAt: Date.parse('2030-01-01T00:00:00Z') });
    // One attempt: the SDK would otherwise retry a throttled call.
    sfn = new SFNClient({ maxAttempts: 1 });
  });
  afterEach(() => Object.assign(cloud.stepFunctions.limits, STEP_FUNCTIONS_LIMITS));
  afterAll(async () => {
    sfn?.destroy();
    await cloud?.stop();
  });
  const start = (name: string, input = waitingRun(name)) =>
    sfn.send(new StartExecutionCommand({ stateMachineArn, name, input }));

  // https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html (name unique 90 days)
  it('keeps a closed execution’s name taken for 90 days (ExecutionAlreadyExists), then lets it be used again', async () => {
    // Prepare
    const { executionArn } = await start('name-90-days');
    await sfn.send(new StopExecutionCommand({ executionArn }));

    // Act
    const sameDay = await refusal(start('name-90-days'));
    cloud.clock.advance(89 * DAY);
    const after89Days = await refusal(start('name-90-days'));
    cloud.clock.advance(DAY);
    const after90Days = await refusal(start('name-90-days'));

    // Assess
    expect([sameDay, after89Days, after90Days]).toEqual([
      'ExecutionAlreadyExists',
      'ExecutionAlreadyExists',
      'accepted',
    ]);
  });

  it('returns the running execution for the same name and input, and refuses other input', async () => {
    const first = await start('name-running');
    const again = await start('name-running');
    expect(again.executionArn).toBe(first.executionArn);
    expect(await refusal(start('name-running', waitingRun('name-running', 'other')))).toBe('ExecutionAlreadyExists');
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html (open executions; lowered here)
  it('refuses an execution beyond the open-executions quota with ExecutionLimitExceeded', async () => {
    // Prepare
    expect(STEP_FUNCTIONS_LIMITS.maxOpenExecutions).toBe(1_000_000);
    const open = cloud.stepFunctions.stats().byStatus.RUNNING ?? 0;
    cloud.stepFunctions.limits.maxOpenExecutions = open + 1;

    // Act
    const last = await refusal(start('open-last'));
    const beyond = await refusal(start('open-beyond'));

    // Assess
    expect([last, beyond]).toEqual(['accepted', 'ExecutionLimitExceeded']);
  });

  // https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html (input ≤ 262144)
  it('refuses an execution input over 256 KiB', async () => {
    const input = waitingRun('too-big-input', 'x'.repeat(256 * 1024));
    expect(await refusal(start('too-big-input', input))).toBe('ValidationException');
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html (StartExecution token bucket)
  it('throttles StartExecution beyond its token bucket, and accepts again once it has refilled', async () => {
    // Prepare: the bucket as documented (1,300, 300 a second) but smaller, so that the test reaches it.
    cloud.stepFunctions.limits.startExecutionBurst = 5;
    cloud.stepFunctions.limits.startExecutionPerSecond = 1;
    const results: string[] = [];

    // Act
    for (let index = 0; index < 6; index += 1) results.push(await refusal(start(`bucket-${index}`)));
    cloud.clock.advance(1_000);
    results.push(await refusal(start('bucket-refilled')));

    // Assess
    expect(results).toEqual([...Array(5).fill('accepted'), 'ThrottlingException', 'accepted']);
  });
});
