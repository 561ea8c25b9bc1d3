import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_FILE } from '../../functions/shared/config/file.ts';
import { LOCAL_DEFAULTS, type LocalCloud } from '../../local-cloud/cloud.ts';
import type { InboxEmail } from '../../local-cloud/ses.ts';
import { samplePurchase } from '../../local-cloud/sign.ts';
import { emailsTo, header, postWebhook, startTestCloud, waitFor } from '../support/local.ts';

const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
const HOSTILE_TITLE = 'Cyclone 3000\r\nBcc: evil@example.com';
const OVERRIDE_SUBJECT = 'A word from {{ store.name }}, {{ customer.firstName | default: "friend" }}';

/**
 * The demo store with every sequence (the vacuum offer included) inside ≈ 3 months, and a second store that
 * overrides the thanks subject.
 */
function writeConfig(dir: string): string {
  const base = JSON.parse(readFileSync(DEFAULT_CONFIG_FILE, 'utf8'));
  const demo = base.stores[0];
  const other = {
    ...demo,
    id: 'other',
    name: 'Other Appliances',
    productRules: [],
    templates: { 'follow-up/thanks': { subject: OVERRIDE_SUBJECT } },
  };
  const config = {
    ...base,
    stores: [demo, other],
    defaults: {
      followUp: { thanksAfterDays: 1, checkInAfterDays: 5 },
      survey: { kind: 'nps', afterDays: 10, reminderAfterDays: 4 },
      warranty: { months: 2, remindDaysBefore: 30 },
      offer: { enabled: false },
    },
  };
  const file = join(dir, 'aftercare.config.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

describe('email safety: hostile order data, unsubscribe headers, store overrides (through the local cloud)', () => {
  const address = 'hostile@example.com';
  let cloud: LocalCloud;
  let dir: string;
  let emails: InboxEmail[];

  beforeAll(async () => {
    // Prepare: one hostile purchase, played out to its last email.
    dir = mkdtempSync(join(tmpdir(), 'aftercare-email-safety-'));
    process.env.AFTERCARE_SECRET_OTHER = LOCAL_DEFAULTS.demoSecret;
    cloud = await startTestCloud({ configFile: writeConfig(dir), timeScale: 2_592_000 }); // a month a second
    const purchase = samplePurchase({
      orderId: 'hostile-1',
      email: address,
      firstName: HOSTILE_NAME,
      title: HOSTILE_TITLE,
      createdAt: new Date(cloud.clock.now()).toISOString(),
    });
    const response = await postWebhook(cloud, 'generic', JSON.stringify(purchase));
    expect(response.status).toBe(200);
    await waitFor('the first email', async () => (await emailsTo(cloud, address))[0]);
    await cloud.settle(30_000);
    emails = await emailsTo(cloud, address);
  });
  afterAll(async () => {
    await cloud?.stop();
    delete process.env.AFTERCARE_SECRET_OTHER;
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends every step of every sequence', () => {
    expect(emails.map((email) => header(email, 'X-Aftercare-Step')).sort()).toEqual(
      ['ask', 'check-in', 'offer-BAGS-10', 'reminder', 'thanks', 'warranty-2m'].sort(),
    );
  });

  it('keeps CR/LF out of subjects and headers, and sends only to the customer', async () => {
    for (const email of emails) {
      expect(email.subject).not.toMatch(/[\r\n]/);
      for (const { name, value } of email.headers ?? []) expect(`${name}: ${value}`).not.toMatch(/[\r\n]/);
      expect(email.destination).toEqual({ to: [address], cc: [], bcc: [] });
    }
    const inbox = await cloud.ses.inbox();
    expect(inbox.filter((email) => JSON.stringify(email.destination).includes('evil@example.com'))).toEqual([]);
  });

  it('escapes the customer name in the HTML', () => {
    for (const email of emails) {
      expect(email.body.html).not.toContain('<img src=x');
      expect(email.body.html).not.toMatch(/<[^>]*onerror/i);
    }
    const thanks = emails.find((email) => header(email, 'X-Aftercare-Step') === 'thanks');
    expect(thanks?.body.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('gives every marketing email one-click unsubscribe headers, and the warranty reminder none', () => {
    for (const email of emails) {
      const step = header(email, 'X-Aftercare-Step') ?? '';
      if (step.startsWith('warranty-')) {
        expect(header(email, 'List-Unsubscribe-Post')).toBeUndefined();
        expect(email.body.html).toMatch(/href="[^"]*\/u\/[^"]+"/); // the visible preferences link stays
        continue;
      }
      expect(header(email, 'List-Unsubscribe'), step).toMatch(/^<https?:\/\/[^>\s]+\/u\/[^>\s]+>$/);
      expect(header(email, 'List-Unsubscribe-Post'), step).toBe('List-Unsubscribe=One-Click');
    }
  });

  it("sends a store's template override (here the thanks subject)", async () => {
    // Act
    const body = JSON.stringify(
      samplePurchase({
        orderId: 'override-1',
        email: 'override@example.com',
        createdAt: new Date(cloud.clock.now()).toISOString(),
      }),
    );
    const response = await postWebhook(cloud, 'generic', body, { storeId: 'other' });

    // Assess
    expect(response.status).toBe(200);
    const thanks = await waitFor('the overridden thanks email', async () =>
      (await emailsTo(cloud, 'override@example.com')).find((email) => header(email, 'X-Aftercare-Step') === 'thanks'),
    );
    expect(thanks.subject).toBe('A word from Other Appliances, Anna');
  });
});
