import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailHash } from '../../functions/shared/domain/customer-key.ts';
import { startSurveyFollowUp } from '../../functions/shared/sequences.ts';
import { setPreferences } from '../../functions/shared/store/customers.ts';
import { getPurchase } from '../../functions/shared/store/purchases.ts';
import { putSurveyAnswer } from '../../functions/shared/store/surveys.ts';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { samplePurchase } from '../../local-cloud/sign.ts';
import {
  countBySequenceStep,
  emailsTo,
  header,
  postWebhook,
  purchase,
  startTestCloud,
  waitFor,
  waitForDecision,
} from '../support/local.ts';

describe('every send re-checks eligibility right before it goes out', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud({ timeScale: 2_592_000 });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  const answer = async (orderId: string, score: number) => {
    const record = await getPurchase('demo', orderId);
    const surveyAnswer = {
      storeId: 'demo',
      orderId,
      kind: 'nps' as const,
      score,
      answeredAt: new Date(cloud.clock.now()).toISOString(),
      changes: [],
    };
    await putSurveyAnswer(surveyAnswer);
    if (record) await startSurveyFollowUp(record, surveyAnswer);
  };

  it('stops what is pending for refunded items and keeps the rest', async () => {
    const order = samplePurchase({ email: 'refund@example.com', createdAt: new Date(cloud.clock.now()).toISOString() });
    const toaster = {
      ...order.data.line_items[0],
      id: `${order.data.id}-2`,
      sku: 'TOAST-2',
      title: 'Toaster',
      product_type: 'Toaster',
      tags: [],
    };
    order.data.line_items.push(toaster as (typeof order.data.line_items)[number]);
    await postWebhook(cloud, 'generic', JSON.stringify(order));
    await waitForDecision(order.data.id, 'follow-up#thanks', 'sent');
    const refund = {
      type: 'order.refunded',
      data: { id: order.data.id, refunded_line_ids: [order.data.line_items[0]?.id] },
    };
    expect((await postWebhook(cloud, 'generic', JSON.stringify(refund))).status).toBe(200);
    const offer = await waitForDecision(order.data.id, 'upgrade-offer#offer-BAGS-10', 'skipped');
    expect(offer.reason).toBe('items-refunded');
    await waitForDecision(order.data.id, 'satisfaction-survey#ask', 'sent'); // the toaster still gets its survey
  });

  it('stops everything after a whole-order refund', async () => {
    const orderId = await purchase(cloud, { email: 'whole-refund@example.com' });
    await waitForDecision(orderId, 'follow-up#thanks', 'sent');
    await postWebhook(cloud, 'generic', JSON.stringify({ type: 'order.refunded', data: { id: orderId } }));
    // The survey run is parked (no execution waits for an ask two weeks away) or its execution was stopped.
    await waitFor('no survey execution running for the order', async () => {
      const { executions } = await cloud.stepFunctions.listExecutions({
        stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:aftercare-satisfaction-survey',
      });
      const ours = executions.filter((e) => e.name.includes(orderId.slice(-12)));
      return ours.length > 0 && ours.every((e) => e.status !== 'RUNNING');
    });
    await new Promise((resolve) => setTimeout(resolve, 500)); // ~2 virtual weeks in which nothing may arrive
    expect(Object.keys(countBySequenceStep(await emailsTo(cloud, 'whole-refund@example.com')))).toEqual([
      'follow-up/thanks',
    ]);
  });

  it('skips the rest of the sequence once the customer unsubscribed', async () => {
    const orderId = await purchase(cloud, { email: 'leaving@example.com' });
    await waitForDecision(orderId, 'follow-up#thanks', 'sent');
    await setPreferences(
      'demo',
      emailHash('leaving@example.com'),
      { unsubscribedAll: true, unsubscribed: [] },
      new Date(cloud.clock.now()).toISOString(),
    );
    const checkIn = await waitForDecision(orderId, 'follow-up#check-in', 'skipped');
    expect(checkIn.reason).toBe('unsubscribed');
  });

  it('skips the survey reminder when the survey was answered, and only the reminder', async () => {
    const orderId = await purchase(cloud, { email: 'passive@example.com' });
    await waitForDecision(orderId, 'satisfaction-survey#ask', 'sent');
    await answer(orderId, 8);
    const reminder = await waitForDecision(orderId, 'satisfaction-survey#reminder', 'skipped');
    expect(reminder.reason).toBe('survey-answered');
  });

  it('alerts the store and apologises to a detractor; asks a promoter for a review', async () => {
    const detractor = await purchase(cloud, { email: 'unhappy@example.com' });
    const promoter = await purchase(cloud, { email: 'happy@example.com' });
    await waitForDecision(detractor, 'satisfaction-survey#ask', 'sent');
    await waitForDecision(promoter, 'satisfaction-survey#ask', 'sent');
    await answer(detractor, 3);
    await answer(promoter, 10);
    const alert = await waitFor('the detractor alert', async () =>
      (await emailsTo(cloud, 'support@demo-appliances.example')).find(
        (e) => header(e, 'X-Aftercare-Step') === 'detractor-alert' && e.body.text?.includes('unhappy@example.com'),
      ),
    );
    expect(alert.body.text).toContain('3');
    await waitFor('the apology', async () =>
      (await emailsTo(cloud, 'unhappy@example.com')).find((e) => header(e, 'X-Aftercare-Step') === 'sorry'),
    );
    await waitFor('the review request', async () =>
      (await emailsTo(cloud, 'happy@example.com')).find((e) => header(e, 'X-Aftercare-Step') === 'review-request'),
    );
    expect((await emailsTo(cloud, 'happy@example.com')).some((e) => header(e, 'X-Aftercare-Step') === 'sorry')).toBe(
      false,
    );
  });

  it('skips the offer when the customer already bought the offered refill', async () => {
    const orderId = await purchase(cloud, { email: 'bags@example.com' });
    await waitForDecision(orderId, 'follow-up#thanks', 'sent');
    await purchase(cloud, {
      email: 'bags@example.com',
      sku: 'BAGS-10',
      title: 'Dust bags (10 pack)',
      productType: 'Accessory',
      tags: [],
    });
    const offer = await waitForDecision(orderId, 'upgrade-offer#offer-BAGS-10', 'skipped');
    expect(offer.reason).toBe('already-bought');
  });
});
