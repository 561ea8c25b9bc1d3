import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { samplePurchase } from '../../local-cloud/sign.ts';
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
    expect(thanks.from).toBe('Demo Appliances <care@demo-appliances.example>');
    expect(thanks.subject).not.toMatch(/[\r\n]/);
    expect(thanks.body.text).toContain('Anna');
  });

  it("the README's curl recipe and `npm run sample-webhook` each put a thanks email in the inbox within seconds", async () => {
    // Prepare: the README's own shell block, run as a newcomer would paste it, against this cloud's port.
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const recipe = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
      .map((block) => block[1] ?? '')
      .find((block) => block.includes('webhook-signature: v1,'));
    expect(recipe, 'the README has the signed curl recipe').toBeDefined();
    const env = { ...process.env, AFTERCARE_API_URL: cloud.apiUrl };
    const run = promisify(execFile);

    // Act
    const byHand = await run('bash', ['-euo', 'pipefail', '-c', recipe ?? ''], { env, timeout: 20_000 });
    const byScript = await run(
      process.execPath,
      ['--import', 'tsx', 'ops/sample-webhook.ts', '--email', 'script@example.com'],
      { env, timeout: 30_000 },
    );

    // Assess
    expect(byHand.stdout).toBe('{"ok":true}');
    expect(byScript.stdout.trim()).toBe('200 {"ok":true}');
    for (const address of ['anna@example.com', 'script@example.com']) {
      const thanks = await waitFor(`the thanks email to ${address}`, async () =>
        (await emailsTo(cloud, address)).find((email) => header(email, 'X-Aftercare-Step') === 'thanks'),
      );
      expect(header(thanks, 'X-Aftercare-Sequence')).toBe('follow-up');
    }
  });
});
