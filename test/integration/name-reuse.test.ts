import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { samplePurchase } from '../../infra/local/sign.ts';
import { localStateMachineArn } from '../../infra/local/stepfunctions.ts';
import { decisionsOf, emailsTo, header, postWebhook, startTestCloud, waitFor } from '../support/local.ts';

const DAY = 86_400_000;

// Step Functions Standard: an execution name is unique per state machine for 90 days after the execution closes,
// then it may be used again. https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
describe('an execution name used again after 90 days', () => {
  let cloud: LocalCloud;
  const start = Date.parse('2030-05-06T10:00:00Z');
  beforeAll(async () => {
    cloud = await startTestCloud({ timeScale: 1, startAt: start });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('restarts the old plan, and its never-sent thanks is skipped as past its deadline instead of sent months late', async () => {
    // Prepare: the follow-up run ends before its thanks (as a run lost to throttling did), its name then free.
    const order = samplePurchase({
      orderId: 'reuse-1',
      email: 'reuse@example.com',
      createdAt: new Date(start).toISOString(),
    });
    expect((await postWebhook(cloud, 'generic', JSON.stringify(order))).status).toBe(200);
    const stored = (await decisionsOf('reuse-1'))['follow-up#thanks'];
    expect(stored).toBeUndefined();
    const run = await waitFor('the follow-up run', async () =>
      (
        await cloud.stepFunctions.listExecutions({ stateMachineArn: localStateMachineArn('follow-up') })
      ).executions.find((execution) => execution.name.includes('reuse-1')),
    );
    expect(run).toBeDefined();
    cloud.stepFunctions.stopExecution({ executionArn: run.executionArn, error: 'Lambda.TooManyRequestsException' });
    await cloud.fastForward(start + 91 * DAY);

    // Act: an update of the order re-applies it, which starts its stored plans again under the same names.
    expect((await postWebhook(cloud, 'generic', JSON.stringify(order), { eventId: 'update-1' })).status).toBe(200);
    await waitFor('the follow-up run to start again', async () => {
      const again = cloud.stepFunctions.describeExecution({ executionArn: run.executionArn });
      return again.startDate * 1000 > start + 90 * DAY;
    });
    await cloud.fastForward(cloud.clock.now() + DAY);

    // Assess
    const thanks = (await decisionsOf('reuse-1'))['follow-up#thanks'];
    expect(thanks?.status).toBe('skipped');
    expect(thanks?.reason).toBe('stale');
    expect(thanks?.detail).toContain('a thanks more than 3 days late is worse than none');
    const thanksEmails = (await emailsTo(cloud, 'reuse@example.com')).filter(
      (email) => header(email, 'X-Aftercare-Step') === 'thanks',
    );
    expect(thanksEmails).toEqual([]);
  });
});
