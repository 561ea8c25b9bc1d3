import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { runCli } from '../../ops/cli.ts';
import { bufferIo } from '../../ops/command.ts';
import { emailsTo, header, purchase, startTestCloud, waitFor, waitForDecision } from '../support/local.ts';

const DAY = 86_400_000;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Runs one CLI command in this process and keeps what it printed. */
async function cli(...argv: string[]) {
  const io = bufferIo();
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('aftercare report: figures from what the sequences really did', () => {
  let cloud: LocalCloud;
  const vacuums = Array.from({ length: 6 }, (_, i) => `report-vac-${i}@example.com`);
  const coffee = Array.from({ length: 6 }, (_, i) => `report-coffee-${i}@example.com`);
  // Vacuums: 10 10 9 9 8 7 → NPS +67. Coffee: 6 5 3 10 (two never answer) → NPS −50. All ten: +20.
  const scores: Record<string, number> = {
    ...Object.fromEntries(vacuums.map((email, i) => [email, [10, 10, 9, 9, 8, 7][i] as number])),
    ...Object.fromEntries(coffee.slice(0, 4).map((email, i) => [email, [6, 5, 3, 10][i] as number])),
  };
  const orders: Record<string, string> = {};
  let startedAt = 0;

  /** The customer follows the score link of their survey email, then submits the page it opens. */
  async function answerFromEmail(email: string, score: number) {
    const ask = await waitFor(`the survey email to ${email}`, async () =>
      (await emailsTo(cloud, email)).find((mail) => header(mail, 'X-Aftercare-Step') === 'ask'),
    );
    const link = new RegExp(`(https?://[^\\s"<>]+/s/[\\w.-]+)\\?score=${score}\\b`).exec(ask.body.text ?? '')?.[1];
    if (!link) throw new Error(`no score link in the survey email to ${email}`);
    const page = await fetch(`${link}?score=${score}`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const saved = await fetch(link, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ score: `${score}`, csrf }),
    });
    expect(saved.status).toBe(200);
  }

  beforeAll(async () => {
    cloud = await startTestCloud({ timeScale: 2_592_000 }); // a month per second
    startedAt = cloud.clock.now();
    for (const email of vacuums) orders[email] = await purchase(cloud, { email });
    for (const email of coffee)
      orders[email] = await purchase(cloud, {
        email,
        productType: 'Espresso machine',
        tags: ['coffee'],
        sku: 'ESP-1',
        title: 'Barista One',
      });
    for (const email of [...vacuums, ...coffee])
      await waitForDecision(orders[email] ?? '', 'satisfaction-survey#ask', 'sent');
    for (const [email, score] of Object.entries(scores)) await answerFromEmail(email, score);
    for (const email of [coffee[0], coffee[1], coffee[2]])
      await waitForDecision(orders[email ?? ''] ?? '', 'satisfaction-survey#detractor-alert', 'sent');
  }, 90_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it('prints NPS with its counts, response rate, detractor alerts and a row per product', async () => {
    // Prepare
    const from = new Date(startedAt - DAY).toISOString().slice(0, 10);
    const to = new Date(startedAt + 365 * DAY).toISOString().slice(0, 10);
    const html = join(mkdtempSync(join(tmpdir(), 'aftercare-report-')), 'report.html');
    // Act
    const result = await cli('report', '--store', 'demo', '--from', from, '--to', to, '--html', html);
    // Assess
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain('Purchases   12 (open 12)');
    expect(result.out).toContain('NPS         +20  (5 promoters, 2 passives, 3 detractors of 10)');
    expect(result.out).toContain('Surveys     10 answered of 12 asked (83.3%)');
    expect(result.out).toContain('Detractors  3 alerts sent to the store · time until the store replied: unknown');
    expect(result.out).toMatch(/Delivery\s+[\d.]+% delivered · [\d.]+% bounced · [\d.]+% complaints \(of \d+ sent/);
    expect(result.out).toMatch(/Cyclone 3000 vacuum cleaner\s+6\s+\d+\s+6\s+\+67\s+–/);
    expect(result.out).toMatch(/Barista One\s+6\s+\d+\s+4\s+-50\s+–/);
    expect(result.out).toMatch(/satisfaction-survey\s+\d+/);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<svg');
    expect(page).toContain('NPS by month of purchase');
    expect(page).not.toMatch(/<script|<link|(src|href)="https?:/);
  });

  it('names the wrong argument and leaves the table alone', async () => {
    const result = await cli('report', '--store', 'demo', '--from', '2026-02-30', '--to', '2026-03-01');
    expect(result.code).toBe(2);
    expect(result.err).toContain('--from: expected a date such as 2026-01-31');
    expect((await cli('report', '--store', 'nope', '--from', '2026-01-01', '--to', '2026-02-01')).err).toContain(
      '--store: no store "nope" in the configuration (configured: demo)',
    );
  });
});
