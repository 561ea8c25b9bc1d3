import * as z from 'zod';
import type { Purchase } from '../domain/purchase.ts';
import {
  count,
  currency,
  decimal,
  email,
  finishPurchase,
  id,
  instant,
  locale,
  optional,
  readPayload,
  text,
} from './fields.ts';

/** The parts of a Shopify order Aftercare reads (REST webhook shape, any API version since 2021). */
const lineItem = z.object({
  id,
  product_id: optional(id),
  variant_id: optional(id),
  sku: optional(text),
  title: optional(text),
  name: optional(text),
  quantity: count,
  price: decimal,
});

const fulfillment = z.object({
  shipment_status: optional(text),
  created_at: optional(instant),
  updated_at: optional(instant),
});

const person = z.object({ first_name: optional(text) });

/** One refunded line: how many of its units, and (in refunds/create) the line with its ordered quantity. */
export const refundLine = z.object({
  line_item_id: id,
  quantity: optional(count),
  line_item: optional(z.object({ quantity: optional(count) })),
});
type RefundLine = z.output<typeof refundLine>;

/**
 * The lines refunded in full: a refund of 1 of 3 units takes back one unit, not the line, so its follow-ups go on.
 * `ordered` gives each line's quantity (else the refund's own line_item says it); an unknown quantity counts as whole.
 */
export function wholeLinesRefunded(lines: RefundLine[], ordered = new Map<string, number>()): string[] {
  const units = new Map<string, number | undefined>();
  for (const line of lines) {
    const before = units.has(line.line_item_id) ? units.get(line.line_item_id) : 0;
    units.set(
      line.line_item_id,
      before === undefined || line.quantity === undefined ? undefined : before + line.quantity,
    );
    const quantity = line.line_item?.quantity;
    if (quantity !== undefined && !ordered.has(line.line_item_id)) ordered.set(line.line_item_id, quantity);
  }
  return [...units].flatMap(([lineId, refunded]) => {
    const quantity = ordered.get(lineId);
    return refunded === undefined || quantity === undefined || refunded >= quantity ? [lineId] : [];
  });
}

const order = z.object({
  id,
  name: optional(text),
  order_number: optional(id),
  email: optional(email),
  contact_email: optional(email),
  customer: optional(
    z.object({
      id: optional(id),
      email: optional(email),
      first_name: optional(text),
      accepts_marketing: optional(z.boolean()),
      email_marketing_consent: optional(z.object({ state: optional(text) })),
    }),
  ),
  billing_address: optional(person),
  shipping_address: optional(person),
  customer_locale: optional(locale),
  buyer_accepts_marketing: optional(z.boolean()),
  line_items: z.array(lineItem).min(1, 'expected at least one line item'),
  currency,
  total_price: optional(decimal),
  processed_at: optional(instant),
  created_at: optional(instant),
  cancelled_at: optional(instant),
  financial_status: optional(text),
  refunds: optional(z.array(z.object({ refund_line_items: optional(z.array(refundLine)) }))),
  fulfillments: optional(z.array(fulfillment)),
});
type Fulfillment = z.output<typeof fulfillment>;

/** A fulfillment the carrier reports delivered counts from its last update; otherwise from when it shipped. */
export function fulfillmentDeliveredAt(shipment: Fulfillment): string | undefined {
  return shipment.shipment_status === 'delivered'
    ? (shipment.updated_at ?? shipment.created_at)
    : (shipment.created_at ?? shipment.updated_at);
}

function latest(times: (string | undefined)[]): string | undefined {
  return times
    .filter((time) => time !== undefined)
    .sort()
    .at(-1);
}

/** orders/fulfilled: the latest fulfillment time on the order. */
export function readFulfilledOrder(body: unknown) {
  const { id: orderId, fulfillments = [] } = readPayload(
    z.object({ id, fulfillments: order.shape.fulfillments }),
    body,
  );
  return { orderId, deliveredAt: latest(fulfillments.map((shipment) => shipment.updated_at ?? shipment.created_at)) };
}

export const fulfillmentEvent = fulfillment.extend({ order_id: id });

function statusOf(paid: { cancelled_at?: string; financial_status?: string }): Purchase['status'] {
  if (paid.cancelled_at) return 'cancelled';
  if (paid.financial_status === 'refunded') return 'refunded';
  return paid.financial_status === 'voided' ? 'cancelled' : 'open';
}

export function shopifyPurchase(body: unknown, storeId: string, occurredAt: string): Purchase {
  const paid = readPayload(order, body);
  const { customer } = paid;
  const ordered = new Map(paid.line_items.map((line) => [line.id, line.quantity]));
  const refundedLineIds = wholeLinesRefunded(
    (paid.refunds ?? []).flatMap((refund) => refund.refund_line_items ?? []),
    ordered,
  );
  const delivered = (paid.fulfillments ?? []).filter((shipment) => shipment.shipment_status === 'delivered');
  return finishPurchase({
    storeId,
    platform: 'shopify',
    orderId: paid.id,
    orderNumber: paid.name ?? paid.order_number,
    customer: {
      id: customer?.id,
      // The address given at checkout for this order, not the account's (which may be an old one).
      email: paid.email ?? paid.contact_email ?? customer?.email,
      firstName: customer?.first_name ?? paid.billing_address?.first_name ?? paid.shipping_address?.first_name,
      locale: paid.customer_locale,
      marketingConsent:
        paid.buyer_accepts_marketing === true ||
        customer?.accepts_marketing === true ||
        customer?.email_marketing_consent?.state === 'subscribed',
    },
    lineItems: paid.line_items.map((line) => ({
      lineId: line.id,
      productId: line.product_id,
      variantId: line.variant_id,
      sku: line.sku,
      title: line.title ?? line.name ?? line.sku ?? 'Item',
      quantity: line.quantity,
      price: line.price,
      currency: paid.currency,
    })),
    currency: paid.currency,
    total: paid.total_price,
    purchasedAt: paid.processed_at ?? paid.created_at ?? occurredAt,
    deliveredAt: latest(delivered.map(fulfillmentDeliveredAt)),
    status: statusOf(paid),
    refundedLineIds: [...new Set(refundedLineIds)],
  });
}
