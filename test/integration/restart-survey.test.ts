import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { decisionsOf, emailsTo, header, purchase, startTestCloud, waitFor } from '../support/local.ts';

const DAY = 86_400_000;

describe('npm start resumes a survey answer’s follow-up after a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'aftercare-restart-survey-'));
  let cloud: LocalCloud | undefined;
  afterAll(async () => {
    await cloud?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a detractor who answered just before the stop still gets the sorry, and the store its alert, once', async () => {
    // Prepare: the survey ask is out; the customer answers 0; the stop comes within the 15 minutes the alert waits.
    const start = Date.parse('2030-05-06T08:00:00Z');
    cloud = await startTestCloud({ dataDir, timeScale: 1, startAt: start });
    const email = 'restart-detractor@example.com';
    const orderId = await purchase(cloud, { orderId: 'restart-survey-1', email });
    await cloud.fastForward(start + 25 * DAY);
    const running = cloud;
    const ask = await waitFor('the survey ask', async () =>
      (await emailsTo(running, email)).find((mail) => header(mail, 'X-Aftercare-Step') === 'ask'),
    );
    const surveyUrl = [...(ask.body.html ?? '').matchAll(/href="([^"]+)"/g)]
      .map((m) => (m[1] ?? '').replace(/&amp;/g, '&'))
      .find((url) => url.includes('/s/') && url.endsWith('?score=0'));
    if (!surveyUrl) throw new Error('the ask has no survey link');
    const csrf = /name="csrf" value="([^"]+)"/.exec(await (await fetch(surveyUrl)).text())?.[1] ?? '';
    const answered = await fetch(surveyUrl.split('?')[0] ?? '', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: cloud.apiUrl,
        'sec-fetch-site': 'same-origin',
      },
      body: new URLSearchParams({ score: '0', csrf }),
    });
    expect(answered.status).toBe(200);
    await cloud.stop();

    // Act: start again on the same folder and let a day pass.
    cloud = await startTestCloud({ dataDir, timeScale: 1 });
    await cloud.fastForward(cloud.clock.now() + DAY);

    // Assess
    const decisions = await decisionsOf(orderId);
    expect(decisions['satisfaction-survey#detractor-alert']?.status).toBe('sent');
    expect(decisions['satisfaction-survey#sorry']?.status).toBe('sent');
    expect(decisions['satisfaction-survey#sorry']?.history.filter((h) => h.status === 'sent')).toHaveLength(1);
  });
});
