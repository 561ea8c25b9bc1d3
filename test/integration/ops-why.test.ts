import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { runCli } from '../../ops/cli.ts';
import { bufferIo } from '../../ops/command.ts';
import { emailsTo, header, purchase, startTestCloud, waitFor, waitForDecision } from '../support/local.ts';

const DAY = 86_400_000;
const root = join(import.meta.dirname, '..', '..');

async function cli(...argv: string[]) {
  const io = bufferIo();
  const code = await runCli(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('aftercare why: the trail of one customer, and only theirs', () => {
  let cloud: LocalCloud;
  const anna = 'why-anna@example.com';
  const ben = 'why-ben@example.com';
  let annaOld = '';
  let annaNew = '';
  let benOrder = '';

  beforeAll(async () => {
    cloud = await startTestCloud({ timeScale: 3_600 }); // an hour per second; days pass by advancing the clock
    // An order that reaches Aftercare 60 days late: its early steps are past and get skipped, not sent.
    annaOld = await purchase(cloud, { email: anna, createdAt: new Date(cloud.clock.now() - 60 * DAY).toISOString() });
    annaNew = await purchase(cloud, { email: anna });
    benOrder = await purchase(cloud, { email: ben, firstName: 'Ben' });
    await waitForDecision(annaOld, 'follow-up#check-in', 'skipped');
    cloud.clock.advance(5 * DAY);
    await waitForDecision(annaNew, 'follow-up#thanks', 'sent');
    await waitForDecision(benOrder, 'follow-up#thanks', 'sent');
    // Anna unsubscribes with the link in her thanks email; her check-in is then skipped.
    const thanks = await waitFor('the thanks email', async () =>
      (await emailsTo(cloud, anna)).find((mail) => header(mail, 'X-Aftercare-Step') === 'thanks'),
    );
    const link = /https?:\/\/\S+\/u\/[\w.-]+/.exec(thanks.body.text ?? '')?.[0] ?? '';
    const unsubscribed = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(unsubscribed.status).toBe(200);
    cloud.clock.advance(10 * DAY);
    await waitForDecision(annaNew, 'follow-up#check-in', 'skipped');
  }, 60_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it('lists every planned step of the customer’s orders: sent with message id, skipped with the reason', async () => {
    // Act
    const result = await cli('why', '--store', 'demo', '--email', anna);
    // Assess
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain(`(id ${annaOld})`);
    expect(result.out).toContain(`(id ${annaNew})`);
    expect(result.out).toMatch(/follow-up\s+thanks\s+.+\s+sent\s+.+ · message \S+/);
    expect(result.out).toMatch(/follow-up\s+check-in\s+.+\s+skipped\s+.+unsubscribed \(the customer unsubscribed/);
    expect(result.out).toMatch(/follow-up\s+thanks\s+.+\s+skipped\s+.+too-late \(its time had already passed/);
    expect(result.out).toMatch(/warranty-reminder\s+warranty-24m\s+.+\s+planned/);
    expect(result.out).not.toContain(benOrder);
    expect(result.out).not.toContain('Ben');
  });

  it('shows one order by its id, without the rest of that customer or anyone else', async () => {
    const result = await cli('why', '--store', 'demo', '--order', benOrder);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain(`(id ${benOrder})`);
    expect(result.out).toMatch(/follow-up\s+thanks\s+.+\s+sent/);
    expect(result.out).not.toContain(annaOld);
    expect(result.out).not.toContain(annaNew);
  });

  it('works from the installed command against an explicit endpoint and table', async () => {
    const { AWS_ENDPOINT_URL_DYNAMODB: endpoint = '', AFTERCARE_TABLE: table = '', ...env } = process.env;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['ops/bin.mjs', 'why', '--store', 'demo', '--order', annaNew, '--endpoint', endpoint, '--table', table],
      { cwd: root, env, timeout: 30_000 },
    );
    expect(stdout).toContain(`(id ${annaNew})`);
    expect(stdout).toMatch(/follow-up\s+thanks\s+.+\s+sent/);
  });

  it('says so when there is nothing, and refuses ambiguous arguments', async () => {
    const nobody = await cli('why', '--store', 'demo', '--email', 'nobody@example.com');
    expect(nobody.code).toBe(1);
    expect(nobody.err).toContain('No purchase for that address in store demo.');
    const both = await cli('why', '--store', 'demo', '--email', anna, '--order', annaNew);
    expect(both.code).toBe(2);
    expect(both.err).toContain('give exactly one of --order and --email');
  });
});
