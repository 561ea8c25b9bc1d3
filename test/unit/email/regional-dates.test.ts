import { describe, expect, it } from 'vitest';
import { formattingLocale, pickLocale, renderEmail } from '#shared/email/index.ts';
import {
  fixture,
  jsonBody,
  purchaseOf,
  receive,
  SECRET,
  STRIPE_SECRET,
  shopifyRequest,
  stripeEvent,
  stripeRequest,
  wooRequest,
} from '../sources/signed-requests.ts';
import { purchaseVariables } from './fixtures.ts';

const json = (path: string) => JSON.parse(fixture(path).toString('utf8'));
const plainSpaces = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

/** The warranty email of a customer with this platform locale, in a store writing `storeDefault` by default. */
async function warrantyEmailFor(customerLocale: string | undefined, storeDefault: 'en' | 'de' = 'en') {
  const locale = pickLocale(customerLocale, storeDefault);
  const variables = purchaseVariables();
  variables.warranty = { months: 24, endsAt: '2028-01-14T12:00:00Z' };
  variables.order = { ...variables.order, currency: 'USD', total: '1234.50' };
  return renderEmail({
    template: 'warranty-reminder/reminder',
    locale,
    timeZone: 'UTC',
    variables,
    formatLocale: formattingLocale(customerLocale, locale),
  });
}

describe('regional dates and amounts', () => {
  it('keep the region of a Shopify customer_locale: en-GB reads 14 January 2028, not January 14, 2028', async () => {
    // Prepare: Shopify's published order sample, from a British storefront.
    const body = jsonBody({ ...json('shopify/orders-create.2025-01.json'), customer_locale: 'en-GB' });

    // Act
    const purchase = purchaseOf(receive('shopify', shopifyRequest(body, 'orders/create'), [SECRET]));
    const british = await warrantyEmailFor(purchase.customer.locale);
    const american = await warrantyEmailFor('en');

    // Assess
    expect(purchase.customer.locale).toBe('en-GB');
    expect(british.text).toContain('14 January 2028');
    expect(british.text).not.toContain('January 14, 2028');
    expect(american.text).toContain('January 14, 2028');
  });

  it('write an Austrian WooCommerce customer (WPML de_AT) in German with Austrian months and amounts', async () => {
    // Prepare: the captured WooCommerce 5.8 order, shopped in the Austrian language of a WPML site.
    const order = {
      ...json('woocommerce/order-created.wc-5.8.json'),
      meta_data: [{ key: 'wpml_language', value: 'de_AT' }],
    };

    // Act
    const purchase = purchaseOf(receive('woocommerce', wooRequest(jsonBody(order), 'order.created'), [SECRET]));
    const email = await warrantyEmailFor(purchase.customer.locale);

    // Assess
    expect(purchase.customer.locale).toBe('de-AT');
    expect(email.subject).toMatch(/Garantie/);
    expect(email.text).toContain('14. Jänner 2028');
    expect(plainSpaces(email.text)).toContain('$ 1.234,50');
  });

  it('format a Stripe Checkout fr-CA customer for Canada, and fall back to the language when the store writes another', async () => {
    // Prepare: the pay-rails Checkout session, paid in Canadian French.
    const session = { ...json('stripe/checkout.session.completed.data-object.json').object, locale: 'fr-CA' };

    // Act
    const purchase = purchaseOf(
      receive('stripe', stripeRequest(stripeEvent('checkout.session.completed', session)), [STRIPE_SECRET]),
    );
    const canadian = await warrantyEmailFor(purchase.customer.locale);

    // Assess
    expect(purchase.customer.locale).toBe('fr-CA');
    expect(plainSpaces(canadian.text)).toContain('1 234,50 $ US');
    expect(formattingLocale('fr-CA', 'de')).toBe('de');
    expect(formattingLocale('en_gb', 'en')).toBe('en-GB');
  });
});
