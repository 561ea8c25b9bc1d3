import { type EmailVariables, isMarketing, type TemplateId } from './types.ts';

const SITE = 'https://brightbrew.example';

/** Everything filled in: used by the preview and for the trial render of overrides. */
export function sampleVariables(kind: 'nps' | 'csat' = 'nps'): EmailVariables {
  const scores = kind === 'nps' ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] : [1, 2, 3, 4, 5];
  return {
    customer: { firstName: 'Sam' },
    store: {
      name: 'Brightbrew',
      brandColor: '#1f6feb',
      supportEmail: 'support@brightbrew.example',
      reviewUrl: `${SITE}/reviews/new`,
      helpUrl: `${SITE}/help`,
      postalAddress: 'Brightbrew B.V., Keizersgracht 100, 1015 AA Amsterdam, Netherlands',
      legalLine: 'KvK 12345678 · VAT NL001234567B01',
    },
    order: { number: '#1042', purchasedAt: '2026-03-14T10:30:00Z', currency: 'EUR', total: '249.00' },
    products: [
      { title: 'Brightbrew One espresso machine', quantity: 1, price: '229.00' },
      { title: 'Descaling tablets (10)', quantity: 2, price: '10.00' },
    ],
    links: {
      unsubscribe: `${SITE}/u/tok3n`,
      preferences: `${SITE}/preferences/tok3n`,
      survey: scores.map((score) => ({ score, url: `${SITE}/s/tok3n?score=${score}` })),
      review: `${SITE}/reviews/new?order=1042`,
      offer: `${SITE}/products/milk-frother`,
      support: `${SITE}/help`,
    },
    survey: {
      kind,
      score: 4,
      comment: 'The machine leaks a little water.',
      customerEmail: 'sam@example.com',
      customerName: 'Sam',
    },
    warranty: { endsAt: '2028-03-14T00:00:00Z', months: 24 },
    offer: {
      title: 'Brightbrew Milk Frother',
      code: 'FROTH15',
      discount: '15%',
      codeExpiresAt: '2026-07-01T21:59:59Z',
    },
    maintenance: { number: 1 },
  };
}

/** Only what `template` cannot do without: every optional field left out. */
export function minimalVariables(template: TemplateId): EmailVariables {
  const full = sampleVariables();
  return {
    customer: {},
    store: { name: full.store.name, brandColor: full.store.brandColor, supportEmail: full.store.supportEmail },
    order: { purchasedAt: full.order.purchasedAt, currency: full.order.currency },
    products: [],
    links: {
      ...(isMarketing(template) ? { unsubscribe: full.links.unsubscribe } : {}),
      survey: full.links.survey,
      review: full.links.review,
      offer: full.links.offer,
    },
    survey: { kind: 'nps' },
    warranty: full.warranty,
    offer: { title: 'Brightbrew Milk Frother' },
    maintenance: { number: 2 },
  };
}
