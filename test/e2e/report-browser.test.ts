import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../ops/cli.ts';
import { bufferIo } from '../../ops/command.ts';
import { runSimulation } from '../../ops/simulate/run.ts';
import { launchChromium } from '../support/browser.ts';

const SCREENSHOT = fileURLToPath(new URL('../artifacts/screenshots/report.png', import.meta.url));
const DAY = 86_400_000;
const MONTHS = 6;

describe('the HTML report in a real browser (Chromium)', () => {
  let browser: Browser;
  const html = join(mkdtempSync(join(tmpdir(), 'aftercare-report-')), 'report.html');
  let terminal = '';

  beforeAll(async () => {
    // Half a year of a small shop, played by the simulator; the report is taken before its cloud stops.
    await runSimulation({
      purchases: 60,
      months: MONTHS,
      seed: 7,
      realSeconds: 10,
      inspect: async (cloud) => {
        const to = new Date(cloud.clock.now()).toISOString().slice(0, 10);
        const from = new Date(cloud.clock.now() - MONTHS * 30.44 * DAY - DAY).toISOString().slice(0, 10);
        const io = bufferIo();
        const code = await runCli(['report', '--store', 'demo', '--from', from, '--to', to, '--html', html], io);
        if (code !== 0) throw new Error(`report failed: ${io.stderr}`);
        terminal = io.stdout;
      },
    });
    browser = await launchChromium(); // AFTERCARE_CHROMIUM, Debian's, or the npm-shipped one
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('opens self-contained, shows the charts, and is saved as a screenshot', async () => {
    // Prepare
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    // Act
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load', timeout: 15_000 });
    // Assess
    expect(await page.title()).toContain('Aftercare report · demo');
    expect(requests).toEqual([pathToFileURL(html).href]);
    const charts = page.locator('svg[role="img"]');
    expect(await charts.count()).toBe(3);
    for (const label of ['NPS by month of purchase', 'Funnel from purchases to survey answers', 'Emails by sequence']) {
      await expect.poll(() => page.locator(`svg[aria-label="${label}"]`).isVisible(), { timeout: 5_000 }).toBe(true);
    }
    const box = await charts.first().boundingBox({ timeout: 5_000 });
    expect(box?.width).toBeGreaterThan(300);
    expect(await page.locator('.card b').first().textContent({ timeout: 5_000 })).toBe(
      /Purchases\s+(\d+)/.exec(terminal)?.[1],
    );
    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true, timeout: 15_000 });
    await page.close();
  });
});
