import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPurchase } from '../../functions/shared/store/purchases.ts';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { runCli } from '../../ops/cli.ts';
import { bufferIo } from '../../ops/command.ts';
import { startTestCloud, tableItems, waitFor, waitForDecision } from '../support/local.ts';

const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'aftercare-import-'));
/** The start of Shopify's orders export header (the columns after Lineitem sku are kept to show they are ignored). */
const COLUMNS = [
  ...['Name', 'Email', 'Financial Status', 'Paid at', 'Fulfillment Status', 'Fulfilled at', 'Accepts Marketing'],
  ...['Currency', 'Subtotal', 'Shipping', 'Taxes', 'Total', 'Discount Code', 'Discount Amount', 'Shipping Method'],
  ...['Created at', 'Lineitem quantity', 'Lineitem name', 'Lineitem price', 'Lineitem compare at price'],
  ...['Lineitem sku', 'Lineitem requires shipping', 'Billing Name', 'Notes', 'Cancelled at', 'Vendor', 'Id'],
];

async function cli(...argv: string[]) {
  const io = bufferIo();
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

/** RFC 4180 quoting, the way Shopify writes its export. */
function csv(rows: Record<string, string>[]): string {
  const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  return [COLUMNS, ...rows.map((row) => COLUMNS.map((column) => row[column] ?? ''))]
    .map((cells) => cells.map(quote).join(','))
    .join('\r\n');
}

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

/** Shopify writes "2025-01-31 14:05:00 +0000". */
const shopifyTime = (ms: number) => `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} +0000`;

const order = (name: string, id: string, email: string, createdAt: number, extra: Record<string, string> = {}) => ({
  Name: name,
  Id: id,
  Email: email,
  'Financial Status': 'paid',
  'Paid at': shopifyTime(createdAt),
  'Created at': shopifyTime(createdAt),
  'Accepts Marketing': 'yes',
  Currency: 'EUR',
  Total: '249.00',
  'Billing Name': 'Anna de Vries',
  'Lineitem quantity': '1',
  'Lineitem name': 'Cyclone 3000 vacuum cleaner',
  'Lineitem price': '249.00',
  'Lineitem sku': 'VAC-3000',
  ...extra,
});

describe('aftercare import: historical orders join the sequences still due', () => {
  let cloud: LocalCloud;
  let history = '';
  beforeAll(async () => {
    cloud = await startTestCloud({ timeScale: 3_600 }); // an hour per second; months pass by advancing the clock
    const now = cloud.clock.now();
    history = file(
      'orders_export.csv',
      csv([
        // Bought 22 months ago: its follow-ups are long past, its 24-month warranty reminder is a month away.
        order('#1001', '5001', 'import-anna@example.com', now - 670 * DAY, {
          'Fulfilled at': shopifyTime(now - 668 * DAY),
          Notes: 'Leave it with the neighbours,\r\n"number 12"',
        }),
        { Name: '#1001', 'Lineitem quantity': '2', 'Lineitem name': 'Bags, "premium" (10)', 'Lineitem price': '14.95' },
        order('#1002', '5002', 'import-ben@example.com', now - 2 * DAY),
        order('#1003', '5003', 'import-cleo@example.com', now - 100 * DAY, { 'Financial Status': 'refunded' }),
      ]),
    );
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('imports each order once: past steps skipped, the warranty reminder still sent when due', async () => {
    // Act
    const result = await cli('import', '--store', 'demo', '--shopify-csv', history);
    // Assess
    expect(result.code, result.out).toBe(0);
    expect(result.out).toContain('Imported 3 order(s)');
    expect(result.out).toContain('Bad rows: 0');
    expect(result.err).toContain('import: 3/3');
    const old = await waitFor('the old purchase', () =>
      getPurchase('demo', 'shopify:5001').then((r) => r?.sequences && r),
    );
    expect(old.purchase?.lineItems.map((line) => [line.title, line.quantity])).toEqual([
      ['Cyclone 3000 vacuum cleaner', 1],
      ['Bags, "premium" (10)', 2],
    ]);
    expect(old.purchase?.customer.firstName).toBe('Anna');
    for (const step of ['follow-up#thanks', 'follow-up#check-in', 'satisfaction-survey#ask']) {
      expect((await waitForDecision('shopify:5001', step, 'skipped')).reason).toBe('too-late');
    }
    const warranty = old.sequences?.['warranty-reminder']?.steps[0];
    expect(warranty?.late).toBeUndefined();
    expect(Date.parse(warranty?.at ?? '')).toBeGreaterThan(cloud.clock.now());
    expect((await getPurchase('demo', 'shopify:5003'))?.status).toBe('refunded');
    cloud.clock.advance(40 * DAY);
    await waitForDecision('shopify:5001', 'warranty-reminder#warranty-24m', 'sent');
  });

  it('changes nothing when the same file is imported again', async () => {
    // Prepare
    await waitFor('the recent order to be planned', () =>
      getPurchase('demo', 'shopify:5002').then((r) => r?.sequences),
    );
    const snapshot = async () =>
      (await tableItems())
        .filter((item) => String(item.SK).startsWith('EVENT#') || item.SK === 'PURCHASE')
        .map((item) => `${item.PK} ${item.SK} v${item.version ?? ''} ${item.updatedAt ?? item.receivedAt}`)
        .sort();
    const before = await snapshot();
    // Act
    const again = await cli('import', '--store', 'demo', '--shopify-csv', history);
    await cloud.dynamodb.drained(10_000);
    // Assess
    expect(again.code).toBe(0);
    expect(again.out).toContain('Imported 0 order(s)');
    expect(again.out).toContain('Already in Aftercare: 3');
    expect(await snapshot()).toEqual(before);
  });

  it('imports the good rows of a broken file and lists the bad ones by line', async () => {
    // Prepare
    const now = cloud.clock.now();
    const broken = file(
      'broken.csv',
      csv([
        order('#2001', '6001', 'good@example.com', now - DAY),
        order('#2002', '6002', 'price@example.com', now - DAY, { 'Lineitem price': 'lots' }),
        order('#2003', '6003', 'date@example.com', now - DAY, { 'Created at': '' }),
        { Name: '', 'Lineitem quantity': '1', 'Lineitem name': 'Orphan', 'Lineitem price': '1.00' },
        order('#2004', '6004', 'not-an-address', now - DAY),
      ]),
    );
    // Act
    const result = await cli('import', '--store', 'demo', '--shopify-csv', broken);
    // Assess
    expect(result.code).toBe(1);
    expect(result.out).toContain('Imported 1 order(s)');
    expect(result.out).toContain('Bad rows: 4 (nothing was imported from them)');
    expect(result.out).toContain('line 3: order #2002: Lineitem price: expected an amount such as 19.99');
    expect(result.out).toContain("line 4: order #2003: Created at: is required on the order's first row");
    expect(result.out).toContain('line 5: Name: is required');
    expect(result.out).toContain('line 6: order #2004: Email: expected an email address');
    await waitFor('the good order', () => getPurchase('demo', 'shopify:6001'));
  });

  it('reads JSON lines in the generic format and names the field of a bad line', async () => {
    const line = (id: string, price: unknown) =>
      JSON.stringify({
        id,
        customer: { email: `${id}@example.com`, locale: 'nl-BE', time_zone: 'Europe/Brussels' },
        line_items: [{ id: `${id}-1`, title: 'Kettle Classic', quantity: 1, price }],
        currency: 'EUR',
        created_at: new Date(cloud.clock.now() - DAY).toISOString(),
      });
    const jsonl = file(
      'orders.jsonl',
      [line('j-1', '39.00'), '{"id": ', '', line('j-2', 'cheap'), line('j-3', 39)].join('\n'),
    );
    const result = await cli('import', '--store', 'demo', '--jsonl', jsonl);
    expect(result.code).toBe(1);
    expect(result.out).toContain('Imported 2 order(s)');
    expect(result.out).toContain('line 2: expected one JSON object (an order) on the line');
    expect(result.out).toContain('line 4: line_items.0.price: expected a decimal amount');
    expect((await waitFor('j-3', () => getPurchase('demo', 'j-3')))?.purchase?.customer.locale).toBe('nl-BE');
  });
});
