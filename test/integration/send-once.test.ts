import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OutgoingEmail, sendEmail } from '../../functions/shared/mailer.ts';
import { getDecision, type StepDecision } from '../../functions/shared/store/decisions.ts';
import { keys } from '../../functions/shared/store/keys.ts';
import { getItem } from '../../functions/shared/store/table.ts';
import { type SendFacts, sendOnce } from '../../functions/step/send-once.ts';
import { tableSendStore } from '../../functions/step/send-store.ts';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { emailsTo, startTestCloud } from '../support/local.ts';

function email(to: string): OutgoingEmail {
  return {
    from: 'Demo Appliances <care@demo-appliances.example>',
    to,
    subject: 'Thank you',
    html: '<p>Thank you</p>',
    text: 'Thank you',
    headers: [],
    tags: { store: 'demo' },
  };
}

/** One attempt of the send of `orderId`'s thanks step, through the table port and the real mailer. */
function attempt(cloud: LocalCloud, orderId: string, to: string, previous?: StepDecision) {
  const facts: SendFacts = {
    storeId: 'demo',
    orderId,
    sequence: 'follow-up',
    step: 'thanks',
    template: 'follow-up/thanks',
  };
  return sendOnce({
    facts,
    previous,
    at: new Date(cloud.clock.now()).toISOString(),
    store: tableSendStore({ facts, customerKey: 'customer-1', capSlot: undefined }),
    mailer: { send: sendEmail },
    compose: async () => email(to),
    retryVerification: () => undefined,
    now: () => cloud.clock.now(),
  });
}

describe('the send-once protocol on the local cloud (conditional writes on the table, SES behind IAM)', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud();
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('sends one email when five attempts of the same send race, and records where its events belong', async () => {
    // Act
    const decisions = await Promise.all(Array.from({ length: 5 }, () => attempt(cloud, 'race-1', 'race@example.com')));

    // Assess
    expect(decisions.filter((decision) => decision.action === 'send')).toHaveLength(1);
    expect(await emailsTo(cloud, 'race@example.com')).toHaveLength(1);
    const trail = await getDecision('demo', 'race-1', 'follow-up', 'thanks');
    expect(trail?.status).toBe('sent');
    const message = await getItem<{ orderId: string; step: string }>(keys.message(trail?.messageId ?? ''));
    expect(message).toMatchObject({ orderId: 'race-1', step: 'thanks' });
  });

  it('gives the claim back when SES throttles, so the retried wake sends the email once', async () => {
    // Prepare
    cloud.ses.throttle(1);

    // Act
    await expect(attempt(cloud, 'throttled-1', 'throttled@example.com')).rejects.toThrow();
    const postponed = await getDecision('demo', 'throttled-1', 'follow-up', 'thanks');
    const retry = await attempt(cloud, 'throttled-1', 'throttled@example.com', postponed);

    // Assess
    expect(postponed).toMatchObject({ status: 'postponed', reason: 'send-retry' });
    expect(retry).toEqual({ action: 'send' });
    expect(await emailsTo(cloud, 'throttled@example.com')).toHaveLength(1);
    const trail = await getDecision('demo', 'throttled-1', 'follow-up', 'thanks');
    expect(trail?.history.map((entry) => entry.status)).toEqual(['sending', 'postponed', 'sending', 'sent']);
  });
});
