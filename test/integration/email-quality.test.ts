import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_FILE } from '../../functions/shared/config/file.ts';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import type { InboxEmail } from '../../local-cloud/ses.ts';
import { samplePurchase } from '../../local-cloud/sign.ts';
import { emailsTo, header, postWebhook, startTestCloud, waitFor, waitForDecision } from '../support/local.ts';

const SENDER_NAME = 'Démo Électroménager & Co';
const demo = () => JSON.parse(readFileSync(DEFAULT_CONFIG_FILE, 'utf8'));

/** The demo store with a non-ASCII sender name, surveys only with consent, and short warranties (2 and 3 months). */
function writeConfig(dir: string): string {
  const base = demo();
  const store = base.stores[0];
  store.senderName = SENDER_NAME;
  store.consentRequiredFor = ['surveys'];
  store.productRules[1].rules.warranty = { months: 3 };
  const config = {
    ...base,
    defaults: { ...base.defaults, warranty: { months: 2, remindDaysBefore: 30 } },
  };
  const file = join(dir, 'aftercare.config.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/** A vacuum, a coffee machine and its descaling tablets (a consumable), €249 + €399 + 2 × €10 = €668. */
function basket(email: string, now: number, options: { locale?: string; consent?: boolean } = {}) {
  const order = samplePurchase({ email, locale: options.locale ?? 'en', createdAt: new Date(now).toISOString() });
  const vacuum = order.data.line_items[0] as (typeof order.data.line_items)[number];
  order.data.line_items.push(
    {
      ...vacuum,
      id: `${order.data.id}-2`,
      sku: 'ESP-1',
      title: 'Barista One',
      price: '399.00',
      product_type: 'Espresso machine',
      tags: ['coffee'],
    },
    {
      ...vacuum,
      id: `${order.data.id}-3`,
      sku: 'DESC-10',
      title: 'Descaling tablets',
      quantity: 2,
      price: '10.00',
      product_type: 'Consumable',
      tags: [],
    },
  );
  Object.assign(order.data, { total_price: '668.00', total: '668.00' });
  if (options.consent === false) order.data.customer.accepts_marketing = false;
  return order;
}

/** The display name a mail client shows for an RFC 2047 From value. */
const displayName = (from: string) =>
  from
    .slice(0, from.lastIndexOf(' <'))
    .split(' ')
    .map((word) => /^=\?UTF-8\?B\?(.+)\?=$/.exec(word)?.[1])
    .map((base64) => Buffer.from(base64 ?? '', 'base64').toString('utf8'))
    .join('');

const step = (email: InboxEmail) => header(email, 'X-Aftercare-Step') ?? '';

describe('emails a store is proud of (through the local cloud)', () => {
  let cloud: LocalCloud;
  let dir: string;
  let emails: InboxEmail[];
  let french: InboxEmail[];
  let withoutConsent = '';

  beforeAll(async () => {
    // Prepare: three baskets played out past the last warranty reminder, a month per second.
    dir = mkdtempSync(join(tmpdir(), 'aftercare-email-quality-'));
    cloud = await startTestCloud({ configFile: writeConfig(dir), timeScale: 2_592_000 });
    const now = cloud.clock.now();
    for (const order of [basket('quality@example.com', now), basket('qualite@example.com', now, { locale: 'fr' })]) {
      expect((await postWebhook(cloud, 'generic', JSON.stringify(order))).status).toBe(200);
    }
    const noConsent = basket('no-consent@example.com', now, { consent: false });
    withoutConsent = noConsent.data.id;
    expect((await postWebhook(cloud, 'generic', JSON.stringify(noConsent))).status).toBe(200);
    emails = await waitFor(
      'both warranty reminders',
      async () => {
        const all = await emailsTo(cloud, 'quality@example.com');
        return all.filter((email) => step(email).startsWith('warranty-')).length === 2 ? all : undefined;
      },
      30_000,
    );
    french = await waitFor('the French check-in and offer', async () => {
      const all = await emailsTo(cloud, 'qualite@example.com');
      return all.some((email) => step(email) === 'check-in') && all.some((email) => step(email).startsWith('offer-'))
        ? all
        : undefined;
    });
  }, 60_000);
  afterAll(async () => {
    await cloud?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends From the store display name, RFC 2047-encoded in 7-bit ASCII as SES requires', () => {
    // https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html (FromEmailAddress: 7-bit ASCII,
    // a Unicode "friendly from" name in MIME encoded-word syntax)
    for (const email of emails) {
      expect(email.from).toMatch(/^[\x20-\x7e]+ <care@demo-appliances\.example>$/);
      expect(displayName(email.from)).toBe(SENDER_NAME);
    }
  });

  it('carries the postal address, the legal line and the https help page in every customer email', () => {
    for (const email of emails) {
      for (const part of [email.body.html ?? '', email.body.text ?? '']) {
        expect(part).toContain('Demo Appliances B.V., Keizersgracht 100, 1015 AA Amsterdam, Netherlands');
        expect(part).toContain('Chamber of Commerce 12345678');
        expect(part).toContain('https://demo-appliances.example/help');
      }
    }
  });

  it('totals the whole order under the thanks, and shows no order total under a warranty reminder for one product', () => {
    // Assess
    const thanks = emails.find((email) => step(email) === 'thanks');
    expect(thanks?.body.text).toContain('Total: €668.00');
    const warranties = emails.filter((email) => step(email).startsWith('warranty-'));
    expect(warranties.map((email) => email.body.text?.match(/^- \d+ × .*$/gm))).toEqual([
      ['- 1 × Cyclone 3000 vacuum cleaner (€249.00)'],
      ['- 1 × Barista One (€399.00)'],
    ]);
    for (const warranty of warranties) expect(warranty.body.text).not.toMatch(/Total|€668/);
  });

  it('sends no warranty reminder for the consumable in the basket', () => {
    const bodies = emails.filter((email) => step(email).startsWith('warranty-')).map((email) => email.body.text);
    for (const body of bodies) expect(body).not.toContain('Descaling tablets');
  });

  it('keeps the French no-break space before the question mark in the subject', () => {
    const checkIn = french.find((email) => step(email) === 'check-in');
    expect(checkIn?.subject).toBe('Tout se passe bien avec votre achat\u00a0?');
  });

  it('offers in the customer language, states the discount, never calls a shared code personal, invents no expiry', () => {
    // Prepare: the demo's dust-bag offer, BAGS10 for 10 %, a code every customer gets and that has no expiry date.
    const offer = french.find((email) => step(email).startsWith('offer-'));
    const text = offer?.body.text ?? '';
    // Assess
    expect(offer?.subject).toBe('Pensé pour votre achat\u00a0: Sacs à poussière (lot de 10)');
    expect(text).toContain('BAGS10');
    expect(text).toMatch(/10\s?% de réduction/);
    expect(text).not.toMatch(/personnel|valable jusqu/);
    expect(offer?.body.html).not.toMatch(/personnel|valable jusqu/);
  });

  it('skips the survey for a customer without marketing consent where the store requires it, saying why', async () => {
    const decision = await waitForDecision(withoutConsent, 'satisfaction-survey#ask', 'skipped');
    expect(decision.reason).toBe('no-consent-for-surveys');
    expect((await emailsTo(cloud, 'no-consent@example.com')).map(step)).not.toContain('ask');
  });
});
