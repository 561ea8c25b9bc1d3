import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { countBySequenceStep, emailsTo, purchase, startTestCloud, waitForDecision } from '../support/local.ts';

describe('failures on the way to SES never send an email twice, nor lose it', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    // A week per second, not a month: a parked run is unparked 3 h before its wake, which a month per second makes
    // 4 ms of real time, so a loaded machine would let the thanks fall days late and be skipped as stale.
    cloud = await startTestCloud({ timeScale: 604_800 });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('sends once, later, when SES throttles', async () => {
    const orderId = await purchase(cloud, { email: 'throttled@example.com' });
    cloud.ses.throttle(2); // the next two SendEmail calls: TooManyRequestsException
    const thanks = await waitForDecision(orderId, 'follow-up#thanks', 'sent');
    expect(thanks.history.filter((h) => h.reason === 'send-retry')).toHaveLength(2);
    expect(countBySequenceStep(await emailsTo(cloud, 'throttled@example.com'))['follow-up/thanks']).toBe(1);
  });

  it('sends once when the step function fails twice, once before and once after SES accepted the email', async () => {
    const orderId = await purchase(cloud, { email: 'flaky@example.com' });
    const thanksKey = `STEP#follow-up#thanks`;
    // The SDK tries each call 4 times: 4 faults fail one invocation.
    cloud.dynamodb.injectFaults('BatchGetItem', 4, orderId, thanksKey); // 1st invocation: fails at its first read
    cloud.dynamodb.injectFaults('PutItem', 4, orderId, thanksKey, '"sent"'); // 2nd: fails after SES accepted
    await waitForDecision(orderId, 'follow-up#check-in', 'sent'); // the sequence went on
    expect(countBySequenceStep(await emailsTo(cloud, 'flaky@example.com'))).toEqual({
      'follow-up/thanks': 1,
      'follow-up/check-in': 1,
    });
    expect(cloud.dynamodb.faultsLeft()).toBe(0); // both failures really happened
  });
});
