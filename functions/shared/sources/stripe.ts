import * as z from 'zod';
import type { Purchase, SourceEvent, VerifiedDelivery } from '../domain/purchase.ts';
import { SignatureError } from './errors.ts';
import {
  count,
  currency,
  email,
  finishPurchase,
  firstWord,
  id,
  locale,
  optional,
  readPayload,
  text,
  unixTime,
} from './fields.ts';
import { hmacSha256, signaturesMatch, usableSecrets } from './hmac.ts';
import { parseJson } from './json.ts';
import { fromMinorUnits } from './money.ts';
import { header, type Source } from './source.ts';

const SIGNATURE = 'stripe-signature';
const TOLERANCE_SECONDS = 300;

/** A reference to another Stripe object: its id, or the object itself when expanded. */
const ref = z.preprocess(
  (value) => (typeof value === 'object' && value !== null && 'id' in value ? value.id : value),
  id,
);

const envelope = z.object({ id, type: text, created: unixTime, data: z.object({ object: z.unknown() }) });

const metadata = z.object({
  product_title: optional(text),
  product_id: optional(id),
  sku: optional(text),
  email: optional(email),
  first_name: optional(text),
  locale: optional(locale),
});

const checkoutSession = z.object({
  id,
  mode: optional(text),
  payment_intent: optional(ref),
  customer: optional(ref),
  customer_details: optional(z.object({ email: optional(email), name: optional(text) })),
  customer_email: optional(email),
  amount_total: count,
  currency,
  locale: optional(locale),
  created: optional(unixTime),
  consent: optional(z.object({ promotions: optional(text) })),
  payment_status: optional(text),
  metadata: optional(metadata),
});

const paymentIntent = z.object({
  id,
  amount: count,
  amount_received: optional(count),
  currency,
  customer: optional(ref),
  receipt_email: optional(email),
  description: optional(text),
  created: optional(unixTime),
  shipping: optional(z.object({ name: optional(text) })),
  metadata: optional(metadata),
});

const refundedCharge = z.object({ id, payment_intent: optional(ref), refunded: optional(z.boolean()) });
/** `charge` is an id unless the endpoint expands it; only an expanded charge tells a full refund from a partial one. */
const expandedCharge = z.object({ id, amount: count, refunded: optional(z.boolean()) });
const refund = z.object({
  status: optional(text),
  amount: optional(count),
  payment_intent: optional(ref),
  charge: optional(z.union([expandedCharge, ref])),
});
const failedIntent = z.object({
  id,
  last_payment_error: optional(z.object({ payment_method: optional(z.object({ type: optional(text) })) })),
});
const failedSession = z.object({ id, payment_intent: optional(ref) });

/**
 * Payment methods whose outcome arrives days later (docs.stripe.com/payments/payment-methods#payment-notification):
 * their failure is final for the order. A card failure is not: the customer retries on the same intent.
 */
const DELAYED_METHODS = new Set(
  'acss_debit au_becs_debit bacs_debit boleto customer_balance konbini multibanco oxxo pay_by_bank sepa_debit sofort us_bank_account'.split(
    ' ',
  ),
);

/** `t=<unix>,v1=<hex>[,v1=<hex>…]` as stripe-python's WebhookSignature reads it. */
function readSignatureHeader(value: string | undefined) {
  if (!value) throw new SignatureError(`missing ${SIGNATURE} header`);
  const pairs = value.split(',').map((pair) => pair.trim().split('='));
  const timestamp = pairs.find(([key]) => key === 't')?.[1];
  const signatures = pairs.filter(([key, hex]) => key === 'v1' && hex).map(([, hex]) => hex as string);
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || signatures.length === 0) {
    throw new SignatureError(`malformed ${SIGNATURE} header`);
  }
  return { timestamp, signatures };
}

/** Stripe sends one item-less event per checkout: the order becomes one line carrying the amount paid. */
function onePurchase(storeId: string, order: { orderId: string; title: string; amount: number; currency: string }) {
  const price = fromMinorUnits(order.amount, order.currency);
  const line = { lineId: order.orderId, title: order.title, quantity: 1, price, currency: order.currency };
  return { storeId, platform: 'stripe' as const, orderId: order.orderId, currency: order.currency, total: price, line };
}

function sessionPurchase(object: unknown, storeId: string, occurredAt: string): Purchase | undefined {
  const session = readPayload(checkoutSession, object, 'data.object');
  // A delayed payment (SEPA, Boleto…) completes the session "unpaid": it is a purchase once
  // checkout.session.async_payment_succeeded says so (docs.stripe.com/checkout/fulfillment).
  if (session.mode === 'setup' || session.payment_status === 'unpaid') return undefined;
  const orderId = session.payment_intent ?? session.id;
  const { metadata: meta = {} } = session;
  const title = meta.product_title ?? `Order ${orderId}`;
  const { line, ...order } = onePurchase(storeId, {
    orderId,
    title,
    amount: session.amount_total,
    currency: session.currency,
  });
  return finishPurchase({
    ...order,
    customer: {
      id: session.customer,
      email: session.customer_details?.email ?? session.customer_email ?? meta.email,
      firstName: meta.first_name ?? firstWord(session.customer_details?.name),
      locale: session.locale ?? meta.locale,
      marketingConsent: session.consent?.promotions === 'opt_in',
    },
    lineItems: [{ ...line, productId: meta.product_id, sku: meta.sku }],
    purchasedAt: session.created ?? occurredAt,
  });
}

function intentPurchase(object: unknown, storeId: string, occurredAt: string): Purchase {
  const intent = readPayload(paymentIntent, object, 'data.object');
  const { metadata: meta = {} } = intent;
  const title = meta.product_title ?? intent.description ?? `Order ${intent.id}`;
  const amount = intent.amount_received ?? intent.amount;
  const { line, ...order } = onePurchase(storeId, { orderId: intent.id, title, amount, currency: intent.currency });
  return finishPurchase({
    ...order,
    customer: {
      id: intent.customer,
      email: intent.receipt_email ?? meta.email,
      firstName: meta.first_name ?? firstWord(intent.shipping?.name),
      locale: meta.locale,
    },
    lineItems: [{ ...line, productId: meta.product_id, sku: meta.sku }],
    purchasedAt: intent.created ?? occurredAt,
  });
}

/** What one Stripe event type means, from its `data.object`. */
type TopicReader = (object: unknown, storeId: string, delivery: VerifiedDelivery) => SourceEvent;

function paidSession(object: unknown, storeId: string, delivery: VerifiedDelivery): SourceEvent {
  const purchase = sessionPurchase(object, storeId, delivery.occurredAt);
  return purchase ? { kind: 'purchase', purchase } : { kind: 'ignored', topic: `${delivery.topic} (unpaid)` };
}

function failedCheckout(object: unknown): SourceEvent {
  const session = readPayload(failedSession, object, 'data.object');
  return { kind: 'cancelled', orderId: session.payment_intent ?? session.id };
}

function failedPayment(object: unknown, _storeId: string, delivery: VerifiedDelivery): SourceEvent {
  const intent = readPayload(failedIntent, object, 'data.object');
  const method = intent.last_payment_error?.payment_method?.type;
  if (!method || !DELAYED_METHODS.has(method)) return { kind: 'ignored', topic: `${delivery.topic} (retryable)` };
  return { kind: 'cancelled', orderId: intent.id };
}

function chargeRefunded(object: unknown): SourceEvent {
  const charge = readPayload(refundedCharge, object, 'data.object');
  // Sent for partial refunds too; only a charge refunded in full (`refunded: true`) refunds the purchase.
  if (charge.refunded === false) return { kind: 'ignored', topic: 'charge.refunded (partial)' };
  return { kind: 'refunded', orderId: charge.payment_intent ?? charge.id };
}

function refundUpdated(object: unknown, _storeId: string, delivery: VerifiedDelivery): SourceEvent {
  const refunded = readPayload(refund, object, 'data.object');
  if (refunded.status !== 'succeeded') return { kind: 'ignored', topic: delivery.topic };
  const { charge } = refunded;
  // A refund names its charge by id: whether it was the whole amount only an expanded charge shows. Without
  // one, charge.refunded (sent for every refund, `refunded: true` once in full) decides.
  if (typeof charge !== 'object') return { kind: 'ignored', topic: `${delivery.topic} (amount unknown)` };
  const whole = charge.refunded === true || (refunded.amount ?? 0) >= charge.amount;
  if (!whole) return { kind: 'ignored', topic: `${delivery.topic} (partial)` };
  return { kind: 'refunded', orderId: refunded.payment_intent ?? charge.id };
}

/** The event types used (a Map: a topic such as `constructor` must find nothing); any other is ignored. */
const TOPICS = new Map<string, TopicReader>([
  ['checkout.session.completed', paidSession],
  ['checkout.session.async_payment_succeeded', paidSession],
  [
    'payment_intent.succeeded',
    (object, storeId, delivery) => ({
      kind: 'purchase',
      purchase: intentPurchase(object, storeId, delivery.occurredAt),
    }),
  ],
  ['checkout.session.async_payment_failed', failedCheckout],
  ['payment_intent.payment_failed', failedPayment],
  ['charge.refunded', chargeRefunded],
  ['charge.refund.updated', refundUpdated],
]);

/** Stripe: `t=…,v1=hex(HMAC-SHA256(whole whsec_… string, "<t>.<raw body>"))`, 300 s tolerance (stripe-python). */
export const stripe: Source = {
  platform: 'stripe',

  verify(request, secrets) {
    const { timestamp, signatures } = readSignatureHeader(header(request, SIGNATURE));
    const signed = Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), request.rawBody]);
    const matches = usableSecrets(secrets).some((secret) => {
      const expected = hmacSha256(secret, signed).toString('hex');
      return signatures.some((given) => signaturesMatch(expected, given));
    });
    if (!matches) throw new SignatureError(`${SIGNATURE} does not match the body`);
    if (Math.abs(request.now / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) {
      throw new SignatureError(`${SIGNATURE} timestamp is outside the ${TOLERANCE_SECONDS} s tolerance`);
    }
    const event = readPayload(envelope, parseJson(request.rawBody));
    return { ping: false, delivery: { eventId: event.id, topic: event.type, occurredAt: event.created } };
  },

  parse(request, delivery): SourceEvent {
    const { object } = readPayload(envelope, parseJson(request.rawBody)).data;
    const read = TOPICS.get(delivery.topic);
    return read ? read(object, request.storeId, delivery) : { kind: 'ignored', topic: delivery.topic };
  },
};
