import * as z from 'zod';
import type { Purchase, SourceEvent } from '../domain/purchase.ts';
import { PayloadError } from './errors.ts';
import {
  count,
  currency,
  decimal,
  email,
  finishPurchase,
  id,
  instant,
  optional,
  readPayload,
  text,
  toInstant,
  toLocale,
} from './fields.ts';
import { sha256Hex, verifyBodySignature } from './hmac.ts';
import { parseJson, peekField } from './json.ts';
import { header, receivedAt, type Source } from './source.ts';

const SIGNATURE = 'x-wc-webhook-signature';
/** The unsigned request WooCommerce sends once when a webhook is created. */
const PING = /^webhook_id=\d+$/;

/** WooCommerce uses 0 for "none" (guest customer, simple product without variation). */
const wooId = z.preprocess((value) => (value === 0 || value === '0' ? undefined : value), optional(id));

const order = z.object({
  id,
  number: optional(id),
  status: optional(text),
  currency,
  total: optional(decimal),
  customer_id: wooId,
  billing: optional(z.object({ email: optional(email), first_name: optional(text) })),
  shipping: optional(z.object({ first_name: optional(text) })),
  line_items: z
    .array(
      z.object({
        id,
        name: optional(text),
        product_id: wooId,
        variation_id: wooId,
        sku: optional(text),
        quantity: count,
        price: decimal,
      }),
    )
    .min(1, 'expected at least one line item'),
  meta_data: optional(z.array(z.object({ key: z.unknown(), value: z.unknown() }))),
  date_created_gmt: optional(instant),
  date_completed_gmt: optional(instant),
});

const STATUS: Record<string, Purchase['status']> = {
  cancelled: 'cancelled',
  failed: 'cancelled',
  trash: 'cancelled',
  refunded: 'refunded',
};

function wooPurchase(body: unknown, storeId: string, occurredAt: string): Purchase {
  const placed = readPayload(order, body);
  // WPML records the language the customer shopped in.
  const language = placed.meta_data?.find((meta) => meta.key === 'wpml_language')?.value;
  return finishPurchase({
    storeId,
    platform: 'woocommerce',
    orderId: placed.id,
    orderNumber: placed.number,
    customer: {
      id: placed.customer_id,
      email: placed.billing?.email,
      firstName: placed.billing?.first_name ?? placed.shipping?.first_name,
      locale: toLocale(language),
    },
    lineItems: placed.line_items.map((line) => ({
      lineId: line.id,
      productId: line.product_id,
      variantId: line.variation_id,
      sku: line.sku,
      title: line.name ?? line.sku ?? 'Item',
      quantity: line.quantity,
      price: line.price,
      currency: placed.currency,
    })),
    currency: placed.currency,
    total: placed.total,
    purchasedAt: placed.date_created_gmt ?? occurredAt,
    deliveredAt: placed.status === 'completed' ? placed.date_completed_gmt : undefined,
    status: STATUS[placed.status ?? ''] ?? 'open',
  });
}

/** WooCommerce: base64(HMAC-SHA256(secret, body as sent)) in X-WC-Webhook-Signature (class-wc-webhook.php). */
export const woocommerce: Source = {
  platform: 'woocommerce',

  verify(request, secrets) {
    const isPing = PING.test(request.rawBody.toString('latin1'));
    if (isPing && !header(request, SIGNATURE)) return { ping: true };
    verifyBodySignature(request.rawBody, header(request, SIGNATURE), SIGNATURE, secrets);
    if (isPing) return { ping: true };
    const topic = header(request, 'x-wc-webhook-topic');
    if (!topic) throw new PayloadError('x-wc-webhook-topic: header is required');
    const eventId = header(request, 'x-wc-webhook-delivery-id') ?? sha256Hex(request.rawBody);
    const occurredAt = toInstant(peekField(request.rawBody, 'date_modified_gmt')) ?? receivedAt(request);
    return { ping: false, delivery: { eventId, topic, occurredAt } };
  },

  parse(request, delivery): SourceEvent {
    const body = parseJson(request.rawBody);
    switch (delivery.topic) {
      case 'order.created':
      case 'order.updated':
        return { kind: 'purchase', purchase: wooPurchase(body, request.storeId, delivery.occurredAt) };
      case 'order.deleted':
        // WooCommerce sends only {"id": …} for a deletion (WC_Webhook::build_payload): strict, so a captured
        // order.created body replayed as order.deleted is refused rather than cancelling the order.
        return { kind: 'cancelled', orderId: readPayload(z.strictObject({ id }), body).id };
      default:
        return { kind: 'ignored', topic: delivery.topic };
    }
  },
};
