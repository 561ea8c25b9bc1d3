import * as z from 'zod';
import type { SourceEvent } from '../domain/purchase.ts';
import { SignatureError } from './errors.ts';
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
  timeZone,
} from './fields.ts';
import { hmacSha256, signaturesMatch, usableSecrets } from './hmac.ts';
import { parseJson } from './json.ts';
import { standardWebhooksKey } from './signing-keys.ts';
import { header, type Source, type SourceRequest } from './source.ts';

const TOLERANCE_SECONDS = 300;

/** The format any shop can send; documented for integrators in GENERIC.md. */
const lineItem = z.object({
  id,
  product_id: optional(id),
  variant_id: optional(id),
  sku: optional(text),
  title: text,
  quantity: count,
  price: decimal,
  currency: optional(currency),
  product_type: optional(text),
  tags: optional(z.array(z.string())),
});

const order = z.object({
  id,
  number: optional(id),
  customer: optional(
    z.object({
      id: optional(id),
      email: optional(email),
      first_name: optional(text),
      locale: optional(locale),
      time_zone: optional(timeZone),
      accepts_marketing: optional(z.boolean()),
    }),
  ),
  line_items: z.array(lineItem).min(1, 'expected at least one line item'),
  currency,
  total: optional(decimal),
  created_at: instant,
  delivered_at: optional(instant),
  refunded_line_ids: optional(z.array(id)),
});

const event = z.object({ type: text, timestamp: optional(instant), data: z.unknown() });
const orderRef = z.object({ id, delivered_at: optional(instant), refunded_line_ids: optional(z.array(id)) });

function required(request: SourceRequest, name: string): string {
  const value = header(request, name);
  if (!value) throw new SignatureError(`missing ${name} header`);
  return value;
}

/** Standard Webhooks (standardwebhooks.com): `webhook-signature: v1,<base64> …` over "<id>.<timestamp>.<body>". */
export const generic: Source = {
  platform: 'generic',

  verify(request, secrets) {
    const eventId = required(request, 'webhook-id');
    const timestamp = required(request, 'webhook-timestamp');
    const given = required(request, 'webhook-signature')
      .split(' ')
      .filter((part) => part.startsWith('v1,'))
      .map((part) => part.slice(3));
    if (!/^\d{1,12}$/.test(timestamp) || given.length === 0) throw new SignatureError('malformed webhook-signature');
    const signed = Buffer.concat([Buffer.from(`${eventId}.${timestamp}.`, 'utf8'), request.rawBody]);
    const matches = usableSecrets(secrets, 'generic').some((secret) => {
      const expected = hmacSha256(standardWebhooksKey(secret) ?? '', signed).toString('base64');
      return given.some((signature) => signaturesMatch(expected, signature));
    });
    if (!matches) throw new SignatureError('webhook-signature does not match the body');
    if (Math.abs(request.now / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) {
      throw new SignatureError(`webhook-timestamp is outside the ${TOLERANCE_SECONDS} s tolerance`);
    }
    const { type, timestamp: occurred } = readPayload(event, parseJson(request.rawBody));
    const occurredAt = occurred ?? new Date(Number(timestamp) * 1000).toISOString();
    return { ping: false, delivery: { eventId, topic: type, occurredAt } };
  },

  parse(request, delivery): SourceEvent {
    const { data } = readPayload(event, parseJson(request.rawBody));
    switch (delivery.topic) {
      case 'order.created':
      case 'order.paid': {
        const placed = readPayload(order, data, 'data');
        const { customer } = placed;
        const purchase = finishPurchase({
          storeId: request.storeId,
          platform: 'generic',
          orderId: placed.id,
          orderNumber: placed.number,
          customer: {
            id: customer?.id,
            email: customer?.email,
            firstName: customer?.first_name,
            locale: customer?.locale,
            timeZone: customer?.time_zone,
            marketingConsent: customer?.accepts_marketing ?? false,
          },
          lineItems: placed.line_items.map((line) => ({
            lineId: line.id,
            productId: line.product_id,
            variantId: line.variant_id,
            sku: line.sku,
            title: line.title,
            quantity: line.quantity,
            price: line.price,
            currency: line.currency ?? placed.currency,
            productType: line.product_type,
            tags: line.tags ?? [],
          })),
          currency: placed.currency,
          total: placed.total,
          purchasedAt: placed.created_at,
          deliveredAt: placed.delivered_at,
          refundedLineIds: placed.refunded_line_ids ?? [],
        });
        return { kind: 'purchase', purchase };
      }
      case 'order.fulfilled':
      case 'order.delivered': {
        const shipped = readPayload(orderRef, data, 'data');
        return { kind: 'delivered', orderId: shipped.id, deliveredAt: shipped.delivered_at ?? delivery.occurredAt };
      }
      case 'order.cancelled':
        return { kind: 'cancelled', orderId: readPayload(orderRef, data, 'data').id };
      case 'order.refunded': {
        const refunded = readPayload(orderRef, data, 'data');
        const lineIds = refunded.refunded_line_ids ?? [];
        return { kind: 'refunded', orderId: refunded.id, lineIds: lineIds.length > 0 ? lineIds : undefined };
      }
      default:
        return { kind: 'ignored', topic: delivery.topic };
    }
  },
};
