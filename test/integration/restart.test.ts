import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { countBySequenceStep, decisionsOf, emailsTo, purchase, startTestCloud } from '../support/local.ts';

const DAY = 86_400_000;

describe('npm start keeps its data folder: a restart resumes the waiting sequences', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'aftercare-restart-'));
  let cloud: LocalCloud | undefined;
  afterAll(async () => {
    await cloud?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends what was still waiting after the restart, and nothing twice', async () => {
    // Prepare: a purchase whose thanks goes out before the stop; the check-in is still waiting.
    const start = Date.parse('2030-05-06T08:00:00Z');
    cloud = await startTestCloud({ dataDir, timeScale: 1, startAt: start });
    const orderId = await purchase(cloud, { orderId: 'restart-1', email: 'restart@example.com' });
    await cloud.fastForward(start + 6 * DAY);
    expect((await decisionsOf(orderId))['follow-up#thanks']?.status).toBe('sent');
    expect((await decisionsOf(orderId))['follow-up#check-in']).toBeUndefined();
    await cloud.stop();

    // Act: start again on the same folder (the virtual clock goes on where it stopped) and let a month pass.
    cloud = await startTestCloud({ dataDir, timeScale: 1 });
    const resumedAt = cloud.clock.now();
    expect(resumedAt).toBeGreaterThanOrEqual(start + 6 * DAY);
    expect(cloud.resumed).toBe(4); // follow-up, survey, warranty and offer runs of the open purchase
    await cloud.fastForward(resumedAt + 30 * DAY);

    // Assess: the check-in and the survey arrive after the restart; the thanks is not sent again. (The SES
    // emulator's inbox lives as long as the process, so it holds the emails from before the restart too.)
    const decisions = await decisionsOf(orderId);
    expect(decisions['follow-up#thanks']?.history.filter((h) => h.status === 'sent')).toHaveLength(1);
    expect(decisions['follow-up#check-in']?.status).toBe('sent');
    expect(decisions['satisfaction-survey#ask']?.status).toBe('sent');
    const inbox = countBySequenceStep(await emailsTo(cloud, 'restart@example.com'));
    expect(inbox['follow-up/thanks']).toBe(1);
    expect(inbox['follow-up/check-in']).toBe(1);
  });
});
