import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_FILE } from '../../functions/shared/config/file.ts';
import { getStore } from '../../functions/shared/config/load.ts';
import {
  addDiscountCode,
  claimDiscountCode,
  remainingDiscountCodes,
} from '../../functions/shared/store/discount-codes.ts';
import { getPurchase } from '../../functions/shared/store/purchases.ts';
import { composeEmail } from '../../functions/step/compose.ts';
import { DiscountCodesExhaustedError } from '../../functions/step/send-once.ts';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { runCli } from '../../ops/cli.ts';
import { bufferIo } from '../../ops/command.ts';
import { decisionsOf, emailsTo, purchase, startTestCloud, waitFor } from '../support/local.ts';

const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'aftercare-codes-'));

/** The demo store with only its dust-bag offer, a day after purchase, each email claiming a code from the pool. */
function writeConfig(): string {
  const config = JSON.parse(readFileSync(DEFAULT_CONFIG_FILE, 'utf8'));
  const offer = config.stores[0].productRules[0].rules.offer;
  delete offer.discountCode;
  Object.assign(offer, { codePool: true, afterDays: 1 });
  config.stores[0].discountCodes = { lowPoolAlarmBelow: 5 };
  config.defaults = {
    followUp: { enabled: false },
    survey: { enabled: false },
    warranty: { enabled: false },
    offer: { enabled: false },
  };
  const file = join(dir, 'aftercare.config.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

async function cli(...argv: string[]) {
  const io = bufferIo();
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

describe('single-use discount codes: a pool per store × offer, one code per email', () => {
  let cloud: LocalCloud;
  let configFile = '';
  beforeAll(async () => {
    configFile = writeConfig();
    cloud = await startTestCloud({ configFile, timeScale: 3_600 });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('imports a Shopify codes export: bad lines named and left out, repeats ignored, a second import adds nothing', async () => {
    // Prepare: Shopify's bulk-code export has a "Code" column; line 4 has a space, line 5 repeats line 2.
    const csv = file('codes.csv', 'Code,Usage count\r\nBAGS-7Q2X,0\r\nBAGS-K9PM,0\r\nBAD CODE,0\r\nBAGS-7Q2X,0\r\n');

    // Act
    const first = await cli('codes', 'import', '--store', 'demo', '--offer', 'BAGS-10', csv, '--config', configFile);
    const again = await cli('codes', 'import', '--store', 'demo', '--offer', 'BAGS-10', csv, '--config', configFile);
    const unknownOffer = await cli(
      'codes',
      'import',
      '--store',
      'demo',
      '--offer',
      'KETTLE',
      csv,
      '--config',
      configFile,
    );

    // Assess
    expect(first.code, first.out).toBe(1);
    expect(first.out).toContain('Imported 2 new code(s)');
    expect(first.out).toContain('repeated in the file: 1');
    expect(first.out).toContain('line 4: "BAD CODE": a code is 1–64 letters, digits, dots, dashes or underscores');
    expect(first.out).toContain('Free codes in the pool now: 2.');
    expect(again.out).toContain('Imported 0 new code(s)');
    expect(again.out).toContain('Already in the pool: 2');
    expect(unknownOffer.code).toBe(2);
    expect(unknownOffer.err).toContain(
      '--offer: "KETTLE" is not an offer of store demo that uses a code pool (BAGS-10)',
    );
  });

  it('gives two customers two different codes and skips the third, saying why, when the pool is empty', async () => {
    // Prepare: three vacuum-cleaner buyers; the pool holds the two codes imported above.
    const buyers = ['codes-anna@example.com', 'codes-ben@example.com', 'codes-cara@example.com'];
    const orders = [];
    for (const email of buyers) orders.push(await purchase(cloud, { email }));
    for (const order of orders) {
      await waitFor(`purchase ${order} planned`, () => getPurchase('demo', order).then((r) => r?.sequences && r));
    }

    // Act: the offer is due a day after the assumed delivery (and inside the sending hours).
    cloud.clock.advance(10 * DAY);
    const decisions = await Promise.all(
      orders.map((order) =>
        waitFor(`the offer to ${order} decided`, async () => {
          const decision = (await decisionsOf(order))['upgrade-offer#offer-BAGS-10'];
          return decision && ['sent', 'skipped'].includes(decision.status) ? decision : undefined;
        }),
      ),
    );

    // Assess
    expect(decisions.map((decision) => decision.status).sort()).toEqual(['sent', 'sent', 'skipped']);
    expect(decisions.find((decision) => decision.status === 'skipped')?.reason).toBe('discount-codes-exhausted');
    const texts = (await Promise.all(buyers.map((email) => emailsTo(cloud, email)))).flat().map((e) => e.body.text);
    const codes = texts.map((text) => /BAGS-[A-Z0-9]{4}/.exec(text ?? '')?.[0]).sort();
    expect(codes).toEqual(['BAGS-7Q2X', 'BAGS-K9PM']);
    expect(texts.every((text) => text?.includes('This code is yours alone and works once.'))).toBe(true);
    const skippedOrder = orders[decisions.findIndex((decision) => decision.status === 'skipped')] ?? '';
    const why = await cli('why', '--store', 'demo', '--order', skippedOrder, '--config', configFile);
    expect(why.out).toContain('discount-codes-exhausted');
    const list = await cli('codes', 'list', '--store', 'demo', '--config', configFile);
    expect(list.out).toMatch(/BAGS-10\s+0\s+LOW \(alarm below 5\)/);
    const day = new Date(cloud.clock.now()).toISOString().slice(0, 10);
    const report = await cli('report', '--store', 'demo', '--from', '2020-01-01', '--to', day, '--config', configFile);
    expect(report.out).toContain('Discount codes running low: BAGS-10 has 0 free (alarm below 5)');
  });

  it('sends the offer without a code from an empty pool only where the store says so (whenPoolEmpty)', async () => {
    // Prepare: a buyer whose offer comes after the pool ran dry, composed as the step function composes it.
    const order = await purchase(cloud, { email: 'codes-dora@example.com' });
    const record = await waitFor('the planned purchase', () =>
      getPurchase('demo', order).then((r) => r?.sequences?.['upgrade-offer'] && r),
    );
    const run = record.sequences?.['upgrade-offer'];
    const store = getStore('demo');
    if (!run?.steps[0] || !record.purchase || !record.customerKey || !store) throw new Error('no offer planned');
    const input = {
      run,
      step: run.steps[0],
      purchase: record.purchase,
      customerKey: record.customerKey,
      survey: undefined,
      dueAt: cloud.clock.now(),
      now: cloud.clock.now(),
    };
    const storeThat = (whenPoolEmpty: 'skip' | 'send-without-code') => ({
      ...store,
      discountCodes: { ...store.discountCodes, whenPoolEmpty },
    });

    // Act
    const withoutCode = await composeEmail({ ...input, store: storeThat('send-without-code') });
    const skipped = composeEmail({ ...input, store: storeThat('skip') });

    // Assess
    expect(withoutCode.text).toContain('Dust bags (10 pack)');
    expect(withoutCode.text).not.toMatch(/discount code|BAGS-[A-Z0-9]{4}/i);
    await expect(skipped).rejects.toBeInstanceOf(DiscountCodesExhaustedError);
  });

  it('claims atomically: concurrent sends never share a code, a retried send gets its first code back, none is lost', async () => {
    // Prepare: a pool of 16 codes, 12 different sends and 4 concurrent attempts of the first one, all at once.
    await Promise.all(
      Array.from({ length: 16 }, (_, i) => addDiscountCode('demo', 'RACE-1', `RACE-${i}`, new Date().toISOString())),
    );
    const send = (order: number) => ({
      storeId: 'demo',
      orderId: `race-${order}`,
      sequence: 'upgrade-offer',
      step: 'o',
    });
    const at = new Date().toISOString();

    // Act
    const claims = await Promise.all([
      ...Array.from({ length: 12 }, (_, i) => claimDiscountCode(send(i), 'RACE-1', at)),
      ...Array.from({ length: 4 }, () => claimDiscountCode(send(0), 'RACE-1', at)),
    ]);
    const retried = await claimDiscountCode(send(0), 'RACE-1', at);
    const left = await remainingDiscountCodes('demo', 'RACE-1');
    const more = await Promise.all(Array.from({ length: 5 }, (_, i) => claimDiscountCode(send(20 + i), 'RACE-1', at)));

    // Assess
    const distinct = claims.slice(0, 12);
    expect(new Set(distinct).size).toBe(12);
    expect(distinct.every((code) => code?.startsWith('RACE-'))).toBe(true);
    expect(new Set([...claims.slice(12), retried, distinct[0]]).size).toBe(1);
    expect(left).toBe(4); // the codes the losing attempts of send 0 took went back to the pool
    expect(more.filter(Boolean)).toHaveLength(4);
    expect(new Set([...distinct, ...more.filter(Boolean)]).size).toBe(16);
    expect(await remainingDiscountCodes('demo', 'RACE-1')).toBe(0);
  });
});
