import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { DEFAULT_CONFIG_FILE } from '../../functions/shared/config/file.ts';
import { DAY } from '../../functions/shared/domain/schedule.ts';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import type { InboxEmail } from '../../local-cloud/ses.ts';
import { samplePurchase } from '../../local-cloud/sign.ts';
import { emailsTo, header, postWebhook, startTestCloud, waitFor, waitForDecision } from '../support/local.ts';

const SUPPORT = 'support@demo-appliances.example';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const step = (email: InboxEmail) => header(email, 'X-Aftercare-Step') ?? '';

describe('survey answers: support can answer a detractor in one click, and nobody is review-gated', () => {
  let cloud: LocalCloud;

  beforeAll(async () => {
    cloud = await startTestCloud({ configFile: DEFAULT_CONFIG_FILE, timeScale: 43_200 }); // half a day a second
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  /** A purchase made 19 virtual days ago (its survey is due now), answered from the page as a customer would. */
  async function answer(email: string, score: number, comment?: string): Promise<string> {
    const order = samplePurchase({ email, createdAt: new Date(cloud.clock.now() - 19 * DAY).toISOString() });
    expect((await postWebhook(cloud, 'generic', JSON.stringify(order))).status).toBe(200);
    const ask = await waitFor(`the survey to ${email}`, async () =>
      (await emailsTo(cloud, email)).find((mail) => step(mail) === 'ask'),
    );
    const url = new RegExp(`(https?://[^\\s"<>]+/s/[\\w.-]+)\\?score=${score}\\b`).exec(ask.body.text ?? '')?.[1] ?? '';
    const csrf = /name="csrf" value="([^"]+)"/.exec(await (await fetch(`${url}?score=${score}`)).text())?.[1] ?? '';
    const body = new URLSearchParams({ score: `${score}`, csrf, ...(comment ? { comment } : {}) });
    const saved = await fetch(url, {
      method: 'POST',
      headers: { ...FORM, origin: cloud.apiUrl, 'sec-fetch-site': 'same-origin' },
      body,
    });
    expect(saved.status).toBe(200);
    return order.data.id;
  }

  it('the detractor alert replies to the customer, names them and quotes their comment', async () => {
    // Act
    await answer('unhappy@example.com', 3, 'The lid broke after a week');
    // Assess
    const alert = await waitFor('the detractor alert', async () =>
      (await emailsTo(cloud, SUPPORT)).find(
        (mail) => step(mail) === 'detractor-alert' && mail.body.text?.includes('unhappy@'),
      ),
    );
    const stored = z.object({ replyTo: z.array(z.string()) }).parse(alert);
    expect(stored.replyTo).toEqual(['unhappy@example.com']);
    expect(alert.body.text).toContain('Customer: Anna, unhappy@example.com');
    expect(alert.body.html).toMatch(/<blockquote[^>]*>“The lid broke after a week”<\/blockquote>/);
    expect(alert.body.html).not.toMatch(/font-size:20px[^>]*>“The lid/);
  });

  it('asks a passive customer for a review too, and a detractor a week later, not only the happy ones', async () => {
    // Act
    const passive = await answer('so-so@example.com', 7);
    const detractor = await answer('grumpy@example.com', 2);
    // Assess
    await waitForDecision(passive, 'satisfaction-survey#review-request', 'sent');
    await waitForDecision(detractor, 'satisfaction-survey#sorry', 'sent');
    expect((await emailsTo(cloud, 'grumpy@example.com')).map(step)).not.toContain('review-request');
    await cloud.fastForward(cloud.clock.now() + 8 * DAY);
    await waitForDecision(detractor, 'satisfaction-survey#review-request', 'sent');
  });
});
