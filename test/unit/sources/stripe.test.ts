import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { purchaseSchema } from '#shared/domain/purchase.ts';
import { PayloadError, SignatureError, sources } from '#shared/sources/index.ts';
import {
  fixture,
  flipByte,
  flipChar,
  NOW_SECONDS,
  purchaseOf,
  receive,
  request,
  STRIPE_SECRET,
  stripeEvent,
  stripeRequest,
  stripeSignature,
} from './signed-requests.ts';

const session = () => JSON.parse(fixture('stripe/checkout.session.completed.data-object.json').toString('utf8')).object;

function outcome(attempt: () => unknown): string {
  try {
    attempt();
    return 'accepted';
  } catch (error) {
    return error instanceof SignatureError ? 'rejected' : String(error);
  }
}

describe('Stripe webhooks', () => {
  it('maps a completed checkout session to a one-line purchase in major units', () => {
    // Prepare
    const signed = stripeRequest(stripeEvent('checkout.session.completed', session()));

    // Act
    const purchase = purchaseOf(receive('stripe', signed, [STRIPE_SECRET]));

    // Assess
    expect(purchaseSchema.parse(purchase)).toEqual(purchase);
    expect(purchase).toEqual({
      storeId: 'coffee-corner',
      platform: 'stripe',
      orderId: 'cs_test_a1UejXx8ebIdTzFolicVypUAZpOBVkoQKDbaarXoPlPVtj8p0zujPEEhjT',
      customer: { id: 'cus_M5wW9RPFk9xNZ5', email: 'chris@gorails.com', firstName: 'Chris', marketingConsent: false },
      lineItems: [
        {
          lineId: 'cs_test_a1UejXx8ebIdTzFolicVypUAZpOBVkoQKDbaarXoPlPVtj8p0zujPEEhjT',
          title: 'Order cs_test_a1UejXx8ebIdTzFolicVypUAZpOBVkoQKDbaarXoPlPVtj8p0zujPEEhjT',
          quantity: 1,
          price: '19.00',
          currency: 'USD',
          tags: [],
        },
      ],
      currency: 'USD',
      total: '19.00',
      purchasedAt: new Date((NOW_SECONDS - 2) * 1000).toISOString(),
      status: 'open',
      refundedLineIds: [],
    });
  });

  it('keys a session by its payment intent, reads product metadata and honours zero-decimal currencies', () => {
    // Prepare
    const paid = {
      ...session(),
      payment_intent: 'pi_3Q0Yen',
      currency: 'jpy',
      amount_total: 12800,
      locale: 'nl-BE',
      metadata: { product_title: 'Kettle Mini', product_id: 'prod_Kettle', sku: 'KET-MINI' },
    };

    // Act
    const purchase = purchaseOf(
      receive('stripe', stripeRequest(stripeEvent('checkout.session.completed', paid)), [STRIPE_SECRET]),
    );

    // Assess
    expect(purchase).toMatchObject({
      orderId: 'pi_3Q0Yen',
      currency: 'JPY',
      total: '12800',
      customer: { locale: 'nl-BE' },
    });
    expect(purchase.lineItems).toEqual([
      {
        lineId: 'pi_3Q0Yen',
        productId: 'prod_Kettle',
        sku: 'KET-MINI',
        title: 'Kettle Mini',
        quantity: 1,
        price: '12800',
        currency: 'JPY',
        tags: [],
      },
    ]);
  });

  it('maps payment_intent.succeeded to a purchase keyed by the intent, without an email when none is given', () => {
    // Prepare
    const signed = stripeRequest(fixture('stripe/payment_intent.succeeded.2025-04-30.json'));

    // Act
    const verification = sources.stripe.verify(signed, [STRIPE_SECRET]);
    const purchase = purchaseOf(receive('stripe', signed, [STRIPE_SECRET]));

    // Assess
    expect(verification).toEqual({
      ping: false,
      delivery: {
        eventId: 'evt_3RTkpYQ8iJWBZFaM1G1JtOIT',
        topic: 'payment_intent.succeeded',
        occurredAt: '2025-05-28T14:19:44.000Z',
      },
    });
    expect(purchase).toMatchObject({
      orderId: 'pi_3RTkpYQ8iJWBZFaM1LBHNo0J',
      customer: { id: 'cus_SOXv8CncjHqSEv' },
      lineItems: [{ title: 'Oberbrunner-Purdy - Invoice OBE-B200-001-001', price: '46.20', currency: 'EUR' }],
      purchasedAt: '2025-05-28T14:19:44.000Z',
    });
    expect(purchase.customer.email).toBeUndefined();
  });

  it('maps a fully refunded charge to a refund of the whole payment intent, not a partial one', () => {
    // Prepare
    const refundUpdated = stripeRequest(fixture('stripe/charge.refund.updated.2025-04-30.json'));
    const chargeRefunded = stripeRequest(
      stripeEvent('charge.refunded', { id: 'ch_1', object: 'charge', payment_intent: 'pi_3Q0Yen', refunded: true }),
    );
    const partly = stripeRequest(
      stripeEvent('charge.refunded', { id: 'ch_2', object: 'charge', payment_intent: 'pi_2', refunded: false }),
    );
    const pending = stripeRequest(
      stripeEvent('charge.refund.updated', { id: 're_1', status: 'pending', charge: 'ch_1' }),
    );

    // Act
    const events = [refundUpdated, chargeRefunded, partly, pending].map((signed) =>
      receive('stripe', signed, [STRIPE_SECRET]),
    );

    // Assess
    // The fixture's refund names its charge by id only: it cannot show a full refund (charge.refunded does).
    expect(events).toEqual([
      { kind: 'ignored', topic: 'charge.refund.updated (amount unknown)' },
      { kind: 'refunded', orderId: 'pi_3Q0Yen' },
      { kind: 'ignored', topic: 'charge.refunded (partial)' },
      { kind: 'ignored', topic: 'charge.refund.updated' },
    ]);
  });

  it('accepts any matching v1 among several, so secrets can rotate', () => {
    // Prepare
    const body = stripeEvent('checkout.session.completed', session());
    const header = `t=${NOW_SECONDS},v1=${stripeSignature(body, NOW_SECONDS, 'whsec_old')},v1=${stripeSignature(body)}`;

    // Act
    const verification = sources.stripe.verify(request(body, { 'stripe-signature': header }), [
      'whsec_unrelated',
      STRIPE_SECRET,
    ]);

    // Assess
    expect(verification.ping).toBe(false);
  });

  it('rejects a replayed timestamp, a tampered body, signature or timestamp, and malformed headers', () => {
    // Prepare
    const body = fixture('stripe/payment_intent.succeeded.2025-04-30.json');
    const signature = stripeSignature(body);
    const old = NOW_SECONDS - 301;
    const headers = [
      `t=${old},v1=${stripeSignature(body, old)}`,
      `t=${NOW_SECONDS + 301},v1=${stripeSignature(body, NOW_SECONDS + 301)}`,
      `t=${NOW_SECONDS + 1},v1=${signature}`,
      ...[0, 17, 63].map((position) => `t=${NOW_SECONDS},v1=${flipChar(signature, position)}`),
      `t=${NOW_SECONDS},v0=${signature}`,
      `v1=${signature}`,
      `t=soon,v1=${signature}`,
      '',
    ];
    const flipped = [0, 100, 1000, body.length - 1].map((position) => flipByte(body, position));

    // Act
    const outcomes = [
      ...headers.map((value) =>
        outcome(() => sources.stripe.verify(request(body, { 'stripe-signature': value }), [STRIPE_SECRET])),
      ),
      ...flipped.map((tampered) =>
        outcome(() =>
          sources.stripe.verify(request(tampered, { 'stripe-signature': `t=${NOW_SECONDS},v1=${signature}` }), [
            STRIPE_SECRET,
          ]),
        ),
      ),
    ];

    // Assess
    expect(new Set(outcomes)).toEqual(new Set(['rejected']));
  });

  it('accepts a timestamp just inside the 300 s tolerance', () => {
    // Prepare
    const body = stripeEvent('payment_intent.succeeded', { id: 'pi_1', amount: 500, currency: 'eur' });

    // Act
    const verification = sources.stripe.verify(stripeRequest(body, NOW_SECONDS - 300), [STRIPE_SECRET]);

    // Assess
    expect(verification.ping).toBe(false);
  });

  it('refuses a signed event whose amount does not fit, naming the field', () => {
    // Prepare
    const signed = stripeRequest(stripeEvent('checkout.session.completed', { ...session(), amount_total: '19.00' }));

    // Act
    const act = () => receive('stripe', signed, [STRIPE_SECRET]);

    // Assess
    expect(act).toThrow(new PayloadError('data.object.amount_total: expected a whole number'));
  });
});

/** Signed by stripe-node itself (`webhooks.generateTestHeaderString`), as Stripe signs deliveries. */
function signedByStripe(type: string, object: unknown): ReturnType<typeof request> {
  const body = stripeEvent(type, object);
  const header = new Stripe('sk_test_unused').webhooks.generateTestHeaderString({
    payload: body.toString('utf8'),
    secret: STRIPE_SECRET,
    timestamp: NOW_SECONDS,
  });
  return request(body, { 'stripe-signature': header });
}

// Delayed payment methods: https://docs.stripe.com/checkout/fulfillment and
// https://docs.stripe.com/payments/payment-methods#payment-notification
describe('Stripe delayed payments and refunds', () => {
  const unpaid = () => ({ ...session(), payment_intent: 'pi_sepa_1', payment_status: 'unpaid' });
  const failedIntent = (type: string) => ({
    id: 'pi_sepa_1',
    object: 'payment_intent',
    status: 'requires_payment_method',
    last_payment_error: { code: 'payment_method_not_available', payment_method: { id: 'pm_1', type } },
  });

  it('does not treat a checkout completed with a payment still pending (SEPA, Boleto) as a purchase', () => {
    // Prepare
    const signed = signedByStripe('checkout.session.completed', unpaid());

    // Act
    const event = receive('stripe', signed, [STRIPE_SECRET]);

    // Assess
    expect(event).toEqual({ kind: 'ignored', topic: 'checkout.session.completed (unpaid)' });
  });

  it('makes the purchase when the delayed payment succeeds, keyed by the same payment intent', () => {
    // Prepare
    const signed = signedByStripe('checkout.session.async_payment_succeeded', { ...unpaid(), payment_status: 'paid' });

    // Act
    const purchase = purchaseOf(receive('stripe', signed, [STRIPE_SECRET]));

    // Assess
    expect(purchase).toMatchObject({ orderId: 'pi_sepa_1', status: 'open', total: '19.00' });
  });

  it('cancels the order when a delayed payment fails, from the session or from its payment intent', () => {
    // Prepare
    const fromSession = signedByStripe('checkout.session.async_payment_failed', unpaid());
    const fromIntent = signedByStripe('payment_intent.payment_failed', failedIntent('sepa_debit'));

    // Act
    const events = [fromSession, fromIntent].map((signed) => receive('stripe', signed, [STRIPE_SECRET]));

    // Assess
    expect(events).toEqual([
      { kind: 'cancelled', orderId: 'pi_sepa_1' },
      { kind: 'cancelled', orderId: 'pi_sepa_1' },
    ]);
  });

  it('does not cancel on a declined card, which the customer may retry on the same payment intent', () => {
    // Prepare
    const signed = signedByStripe('payment_intent.payment_failed', failedIntent('card'));

    // Act
    const event = receive('stripe', signed, [STRIPE_SECRET]);

    // Assess
    expect(event).toEqual({ kind: 'ignored', topic: 'payment_intent.payment_failed (retryable)' });
  });

  it('tells a full refund from a partial one when the refund carries its charge', () => {
    // Prepare
    const refund = (amount: number, charge: object) => ({
      id: 're_1',
      object: 'refund',
      status: 'succeeded',
      amount,
      payment_intent: 'pi_1',
      charge: { id: 'ch_1', object: 'charge', amount: 5000, ...charge },
    });
    const partial = signedByStripe('charge.refund.updated', refund(1000, { refunded: false }));
    const full = signedByStripe('charge.refund.updated', refund(5000, {}));
    const lastOfSeveral = signedByStripe('charge.refund.updated', refund(1000, { refunded: true }));

    // Act
    const events = [partial, full, lastOfSeveral].map((signed) => receive('stripe', signed, [STRIPE_SECRET]));

    // Assess
    expect(events).toEqual([
      { kind: 'ignored', topic: 'charge.refund.updated (partial)' },
      { kind: 'refunded', orderId: 'pi_1' },
      { kind: 'refunded', orderId: 'pi_1' },
    ]);
  });
});
