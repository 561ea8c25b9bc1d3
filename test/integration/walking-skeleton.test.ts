import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { samplePurchase } from '../../infra/local/sign.ts';
import { emailsTo, header, postWebhook, startTestCloud, waitFor } from '../support/local.ts';

describe('walking skeleton: signed webhook → stored purchase → workflow → email in the local inbox', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud({ timeScale: 2_592_000 }); // a month per second
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('answers /health with 200 once ready', async () => {
    const response = await fetch(`${cloud.apiUrl}/health`);
    expect(response.status).toBe(200);
  });

  it('delivers the follow-up thanks email with the Aftercare headers within seconds', async () => {
    // Prepare
    const body = JSON.stringify(
      samplePurchase({ email: 'walking@example.com', createdAt: new Date(cloud.clock.now()).toISOString() }),
    );
    // Act
    const response = await postWebhook(cloud, 'generic', body);
    // Assess
    expect(response.status).toBe(200);
    const thanks = await waitFor('the thanks email', async () =>
      (await emailsTo(cloud, 'walking@example.com')).find((email) => header(email, 'X-Aftercare-Step') === 'thanks'),
    );
    expect(header(thanks, 'X-Aftercare-Sequence')).toBe('follow-up');
    expect(thanks.from).toBe('care@demo-appliances.example');
    expect(thanks.subject).not.toMatch(/[\r\n]/);
    expect(thanks.body.text).toContain('Anna');
  });
});
