import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { samplePurchase } from '../../local-cloud/sign.ts';
import { localStateMachineArn } from '../../local-cloud/stepfunctions.ts';
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

  it('re-applying an order after 90 days never replays its old plan: the stopped run was healed, each email sent once', async () => {
    // Prepare: the follow-up run's first execution is stopped at once (as a run lost to throttling was); its name
    // becomes free 90 days after it closed.
    const order = samplePurchase({
      orderId: 'reuse-1',
      email: 'reuse@example.com',
      createdAt: new Date(start).toISOString(),
    });
    expect((await postWebhook(cloud, 'generic', JSON.stringify(order))).status).toBe(200);
    const run = await waitFor('the follow-up run', async () =>
      (
        await cloud.stepFunctions.listExecutions({ stateMachineArn: localStateMachineArn('follow-up') })
      ).executions.find((execution) => execution.name.includes('reuse-1')),
    );
    cloud.stepFunctions.stopExecution({ executionArn: run.executionArn, error: 'Lambda.TooManyRequestsException' });
    await cloud.fastForward(start + 91 * DAY);
    const closedAt = cloud.stepFunctions.describeExecution({ executionArn: run.executionArn }).startDate;

    // Act: an update of the order re-applies it after the name became free.
    expect((await postWebhook(cloud, 'generic', JSON.stringify(order), { eventId: 'update-1' })).status).toBe(200);
    await cloud.fastForward(cloud.clock.now() + DAY);

    // Assess: the run keeper had resumed the run (the thanks went out on time, once); the re-apply started nothing
    // under the old name, which would have replayed the plan from its first step.
    const thanks = (await decisionsOf('reuse-1'))['follow-up#thanks'];
    expect(thanks?.status).toBe('sent');
    expect(Date.parse(thanks?.history.at(-1)?.at ?? '') - start).toBeLessThan(6 * DAY);
    expect(cloud.stepFunctions.describeExecution({ executionArn: run.executionArn }).startDate).toBe(closedAt);
    const thanksEmails = (await emailsTo(cloud, 'reuse@example.com')).filter(
      (email) => header(email, 'X-Aftercare-Step') === 'thanks',
    );
    expect(thanksEmails).toHaveLength(1);
  });
});
