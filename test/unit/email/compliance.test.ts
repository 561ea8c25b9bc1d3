import { describe, expect, it } from 'vitest';
import { consentDecision } from '#functions/step/decide.ts';
import { loadConfigFile } from '#shared/config/file.ts';
import { type AftercareConfig, parseConfig } from '#shared/config/schema.ts';
import { planSequence } from '#shared/domain/plan.ts';
import type { Purchase } from '#shared/domain/purchase.ts';
import type { PurchaseRecord } from '#shared/domain/purchase-record.ts';
import type { PlannedStep } from '#shared/domain/step.ts';
import { TEMPLATE_IDS, TEMPLATE_PURPOSES } from '#shared/email/index.ts';

const config: AftercareConfig = loadConfigFile();
const demo = config.stores[0] as AftercareConfig['stores'][number];
const item = (overrides: Partial<Purchase['lineItems'][number]>): Purchase['lineItems'][number] => ({
  lineId: 'l1',
  title: 'Brightbrew One espresso machine',
  quantity: 1,
  price: '229.00',
  currency: 'EUR',
  productType: 'Espresso machine',
  tags: [],
  ...overrides,
});
const purchase = (lineItems: Purchase['lineItems'], marketingConsent = true): Purchase => ({
  storeId: 'demo',
  platform: 'generic',
  orderId: '1',
  customer: { email: 'a@example.com', timeZone: 'Europe/Amsterdam', marketingConsent },
  lineItems,
  currency: 'EUR',
  purchasedAt: '2026-06-01T00:00:00Z',
  status: 'open',
  refundedLineIds: [],
});
const record = (marketingConsent: boolean): PurchaseRecord => ({
  storeId: 'demo',
  orderId: '1',
  status: 'open',
  refundedLineIds: [],
  version: 1,
  createdAt: '2026-06-01T00:00:00Z',
  updatedAt: '2026-06-01T00:00:00Z',
  customerKey: 'k',
  purchase: purchase([item({})], marketingConsent),
});
const ask: PlannedStep = {
  key: 'ask',
  template: 'satisfaction-survey/ask',
  category: 'surveys',
  to: 'customer',
  anchor: 'delivery',
  offsetMs: 0,
  at: '2026-06-10T10:00:00Z',
  lineIds: [],
  data: { kind: 'nps', closesAfterMs: 30 * 86_400_000 },
};

describe('legal basis and consent', () => {
  it('every template declares its purpose and legal basis; service mail rests on the contract', () => {
    for (const template of TEMPLATE_IDS) {
      const { purpose, legalBasis } = TEMPLATE_PURPOSES[template];
      expect(legalBasis).toBe(purpose === 'service' ? 'contract' : 'legitimate-interest');
    }
    expect(TEMPLATE_PURPOSES['upgrade-offer/offer'].purpose).toBe('marketing');
    expect(TEMPLATE_PURPOSES['warranty-reminder/reminder'].purpose).toBe('service');
  });

  it('skips a survey for a customer without consent when the store requires consent for surveys', () => {
    // Prepare
    const store = { ...demo, consentRequiredFor: ['surveys' as const] };
    // Act
    const withoutConsent = consentDecision({ step: ask, record: record(false), store });
    const withConsent = consentDecision({ step: ask, record: record(true), store });
    // Assess
    expect(withoutConsent).toEqual({ action: 'skip', reason: 'no-consent-for-surveys' });
    expect(withConsent).toBeUndefined();
  });

  it('sends other categories and service mail without consent, and everything when the store requires none', () => {
    const store = { ...demo, consentRequiredFor: ['offers' as const] };
    expect(consentDecision({ step: ask, record: record(false), store })).toBeUndefined();
    const sorry = {
      ...ask,
      key: 'sorry',
      template: 'satisfaction-survey/sorry' as const,
      category: 'service' as const,
      data: { kind: 'nps' as const },
    };
    expect(
      consentDecision({ step: sorry, record: record(false), store: { ...demo, consentRequiredFor: ['surveys'] } }),
    ).toBeUndefined();
    expect(consentDecision({ step: ask, record: record(false), store: demo })).toBeUndefined();
  });
});

describe('warranty reminders for durable goods only', () => {
  it('plans no warranty reminder for consumables by default, one for the machine bought with them', () => {
    // Prepare
    const order = purchase([
      item({ lineId: 'machine' }),
      item({ lineId: 'tablets', title: 'Descaling tablets (10)', price: '10.00', productType: 'Consumable' }),
      item({ lineId: 'filters', title: 'Water filter', price: '12.00', productType: 'Filter', tags: ['Refill'] }),
    ]);
    // Act
    const plan = planSequence('warranty-reminder', order, {
      config,
      store: demo,
      now: Date.parse('2026-06-01T00:00:00Z'),
    });
    // Assess
    expect(plan?.steps.map((step) => step.lineIds)).toEqual([['machine']]);
  });

  it('no warranty reminder at all for an order of consumables only', () => {
    const order = purchase([item({ lineId: 'bags', title: 'Dust bags', productType: 'Consumables' })]);
    expect(
      planSequence('warranty-reminder', order, { config, store: demo, now: Date.parse('2026-06-01T00:00:00Z') }),
    ).toBeUndefined();
  });
});

describe('the footer a commercial email needs', () => {
  const raw = () => JSON.parse(JSON.stringify({ stores: [{ ...demo, postalAddress: undefined }] }));

  it('refuses a store that sends offers without a postal address, naming the field', () => {
    expect(() => parseConfig(raw())).toThrow(/stores\.0\.postalAddress: is required when the store sends offers/);
  });

  it('accepts a store without offers and without an address (existing configurations stay valid)', () => {
    const config = raw();
    config.stores[0].productRules = [];
    expect(parseConfig(config).stores[0]?.postalAddress).toBeUndefined();
  });
});
