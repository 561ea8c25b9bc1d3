import * as z from 'zod';
import type { SourceEvent } from '../domain/purchase.ts';
import { PayloadError } from './errors.ts';
import { id, optional, readPayload, toInstant } from './fields.ts';
import { verifyBodySignature } from './hmac.ts';
import { parseJson, peekField } from './json.ts';
import {
  fulfillmentDeliveredAt,
  fulfillmentEvent,
  readFulfilledOrder,
  refundLine,
  shopifyPurchase,
  wholeLinesRefunded,
} from './shopify-order.ts';
import { assertFitsTopic, assertShop, privacyPayload } from './shopify-topics.ts';
import { header, receivedAt, type Source } from './source.ts';

const SIGNATURE = 'x-shopify-hmac-sha256';

/** Shopify: base64(HMAC-SHA256(app secret, raw body)) in X-Shopify-Hmac-Sha256 (Shopify/shopify-app-js). */
export const shopify: Source = {
  platform: 'shopify',

  verify(request, secrets) {
    verifyBodySignature(request.rawBody, header(request, SIGNATURE), SIGNATURE, secrets);
    const eventId = header(request, 'x-shopify-webhook-id');
    if (!eventId) throw new PayloadError('x-shopify-webhook-id: header is required');
    const topic = header(request, 'x-shopify-topic');
    if (!topic) throw new PayloadError('x-shopify-topic: header is required');
    assertShop(request);
    // Ordering follows the signed body: the unsigned X-Shopify-Triggered-At could freeze an order by claiming a future.
    const occurredAt =
      toInstant(peekField(request.rawBody, 'updated_at')) ??
      toInstant(peekField(request.rawBody, 'created_at')) ??
      receivedAt(request);
    return { ping: false, delivery: { eventId, topic, occurredAt } };
  },

  parse(request, delivery): SourceEvent {
    const body = parseJson(request.rawBody);
    assertFitsTopic(delivery.topic, body);
    switch (delivery.topic) {
      case 'orders/create':
      case 'orders/paid':
      case 'orders/updated':
        return { kind: 'purchase', purchase: shopifyPurchase(body, request.storeId, delivery.occurredAt) };
      case 'orders/fulfilled': {
        const { orderId, deliveredAt } = readFulfilledOrder(body);
        return { kind: 'delivered', orderId, deliveredAt: deliveredAt ?? delivery.occurredAt };
      }
      case 'fulfillments/create':
      case 'fulfillments/update': {
        const shipment = readPayload(fulfillmentEvent, body);
        const deliveredAt = fulfillmentDeliveredAt(shipment) ?? delivery.occurredAt;
        return { kind: 'delivered', orderId: shipment.order_id, deliveredAt };
      }
      case 'orders/cancelled':
        return { kind: 'cancelled', orderId: readPayload(z.object({ id }), body).id };
      case 'refunds/create': {
        const refund = readPayload(z.object({ order_id: id, refund_line_items: optional(z.array(refundLine)) }), body);
        const lineIds = wholeLinesRefunded(refund.refund_line_items ?? []);
        // An amount-only refund (shipping, a goodwill gesture) takes back no item: the sequences go on. A refund of
        // the whole order also arrives as orders/updated with financial_status "refunded".
        if (lineIds.length === 0) return { kind: 'ignored', topic: 'refunds/create (amount only)' };
        return { kind: 'refunded', orderId: refund.order_id, lineIds };
      }
      case 'customers/redact': {
        const asked = readPayload(privacyPayload['customers/redact'], body);
        assertShop(request, asked.shop_domain);
        const { id: customerId, email } = asked.customer;
        return { kind: 'customer-redact', customerId, email, orderIds: asked.orders_to_redact };
      }
      case 'customers/data_request': {
        const asked = readPayload(privacyPayload['customers/data_request'], body);
        assertShop(request, asked.shop_domain);
        const { id: customerId, email } = asked.customer;
        return { kind: 'data-request', customerId, email, orderIds: asked.orders_requested };
      }
      case 'shop/redact':
        assertShop(request, readPayload(privacyPayload['shop/redact'], body).shop_domain);
        return { kind: 'shop-redact' };
      default:
        return { kind: 'ignored', topic: delivery.topic };
    }
  },
};
