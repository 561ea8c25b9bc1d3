import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spreadOffsetMs } from '../../functions/shared/domain/pacing.ts';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { samplePurchase } from '../../local-cloud/sign.ts';
import { runCli } from '../../ops/cli.ts';
import { bufferIo } from '../../ops/command.ts';
import { startTestCloud, tableItems } from '../support/local.ts';

const fixtures = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures');
const dir = mkdtempSync(join(tmpdir(), 'aftercare-plan-'));

async function cli(...argv: string[]) {
  const io = bufferIo();
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

function orderFile(name: string, order: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(order));
  return file;
}

/** Rows of the timeline table: "sequence step template when note". */
const rows = (out: string) =>
  out.split('\n').filter((line) => /^(follow-up|satisfaction-survey|warranty|upgrade)/.test(line));

describe('aftercare plan: the timeline an order would get, with nothing stored or sent', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud({ timeScale: 3_600 });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('plans a coffee machine bought in Berlin: care reminders, survey and a 3-year warranty in local sending hours', async () => {
    // Prepare
    const order = samplePurchase({
      orderId: 'plan-1',
      locale: 'de',
      timeZone: 'Europe/Berlin',
      createdAt: '2026-03-02T21:30:00Z',
      productType: 'Espresso machine',
      tags: ['coffee'],
      sku: 'ESP-1',
      title: 'Barista One',
    });
    // Act
    const result = await cli(
      'plan',
      ...['--store', 'demo', '--platform', 'generic', '--file', orderFile('coffee.json', order)],
      ...['--at', '2026-03-02T21:31:00Z'],
    );
    // Assess
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain('time zone Europe/Berlin');
    const timeline = rows(result.out);
    expect(timeline.map((line) => line.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'follow-up thanks',
      'follow-up check-in',
      'satisfaction-survey ask',
      'satisfaction-survey reminder',
      'follow-up maintenance-1',
      'follow-up maintenance-2',
      'warranty-reminder warranty-36m',
    ]);
    // Due at night: the customer's spread offset after 09:00, plus the category's minute (tips 2, warranty 3).
    const offset = spreadOffsetMs('anna@example.com', 180);
    const clock = (extraMinutes: number) => {
      const minutes = 9 * 60 + Math.floor(offset / 60_000) + extraMinutes;
      return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    };
    expect(timeline[0]).toMatch(new RegExp(`follow-up/thanks\\s+Sat, 7 Mar 2026, ${clock(2)} CET`));
    expect(timeline.at(-1)).toMatch(new RegExp(`Sun, 4 Feb 2029, ${clock(3)} CET`));
    expect(result.out).toContain('Nothing was stored or sent.');
  });

  it('marks the steps already past when an old order arrives, and parses other platforms with their own parser', async () => {
    const woo = join(fixtures, 'woocommerce', 'order-created.wc-5.8.json');
    const late = await cli(
      'plan',
      '--store',
      'demo',
      '--platform',
      'woocommerce',
      '--file',
      woo,
      '--at',
      '2022-06-01T10:00:00Z',
    );
    expect(late.code, late.err).toBe(0);
    expect(rows(late.out).find((line) => line.startsWith('follow-up  ') && line.includes(' thanks '))).toContain(
      'skipped: already past on arrival',
    );
    expect(rows(late.out).find((line) => line.includes('warranty-24m'))).not.toContain('skipped');

    const shopify = join(fixtures, 'shopify', 'orders-create.2025-01.json');
    const cancelled = await cli('plan', '--store', 'demo', '--platform', 'shopify', '--file', shopify);
    expect(cancelled.code, cancelled.err).toBe(0);
    expect(cancelled.out).toContain('The order is cancelled: no email would be sent.');
  });

  it('names the field of a payload that does not fit, and refuses events that are not purchases', async () => {
    const order = samplePurchase({ orderId: 'plan-bad' });
    const bad = { ...order, data: { ...order.data, line_items: [{ ...order.data.line_items[0], price: 'lots' }] } };
    const result = await cli('plan', '--store', 'demo', '--platform', 'generic', '--file', orderFile('bad.json', bad));
    expect(result.code).toBe(2);
    expect(result.err).toContain('data.line_items.0.price: expected a decimal amount');

    const refund = join(fixtures, 'shopify', 'refunds-create.2025-01.json');
    const notPurchase = await cli(
      ...['plan', '--store', 'demo', '--platform', 'shopify', '--file', refund, '--topic', 'refunds/create'],
    );
    expect(notPurchase.code).toBe(2);
    expect(notPurchase.err).toContain('is not a purchase (refunded)');
  });

  it('leaves the table, the inbox and Step Functions empty', async () => {
    expect(await tableItems()).toEqual([]);
    expect(cloud.stepFunctions.stats().executions).toBe(0);
    expect(cloud.ses.sendCalls).toBe(0);
  });
});
