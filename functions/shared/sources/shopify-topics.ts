import * as z from 'zod';
import { PayloadError, SignatureError } from './errors.ts';
import { email, id, instant, optional, readPayload, text } from './fields.ts';
import { header, type SourceRequest } from './source.ts';

/**
 * Shopify signs the body only: X-Shopify-Topic, -Webhook-Id, -Triggered-At and -Shop-Domain are not signed. So a body
 * must prove it fits the topic it arrives under (a captured orders/create replayed as shop/redact is refused), and
 * the shop it names must be this store's. Payload shapes: https://shopify.dev/docs/api/webhooks and
 * https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance
 */
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9.-]{0,254}$/, 'expected a shop domain such as example.myshopify.com');
const privacyCustomer = z.object({ id: optional(id), email: optional(email), phone: optional(z.unknown()) });

/** The compliance payloads are small and fixed: strict, so no other body (an order, a refund) passes as one. */
export const privacyPayload = {
  'shop/redact': z.strictObject({ shop_id: id, shop_domain: domain }),
  'customers/redact': z.strictObject({
    shop_id: id,
    shop_domain: domain,
    customer: privacyCustomer,
    orders_to_redact: z.array(id),
  }),
  'customers/data_request': z.strictObject({
    shop_id: id,
    shop_domain: domain,
    customer: privacyCustomer,
    orders_requested: z.array(id),
    data_request: optional(z.object({ id: optional(id) })),
  }),
} as const;

/** Maps, not object literals: the topic is unsigned text, and "constructor" must not find Object's. */
const RESOURCE = new Map([
  ['orders/create', 'Order'],
  ['orders/paid', 'Order'],
  ['orders/updated', 'Order'],
  ['orders/fulfilled', 'Order'],
  ['orders/cancelled', 'Order'],
  ['fulfillments/create', 'Fulfillment'],
  ['fulfillments/update', 'Fulfillment'],
  ['refunds/create', 'Refund'],
]);

/** Fields a resource never has: their presence means the body is another resource's. */
const without = (fields: string[], what: string) =>
  z.record(z.string(), z.unknown()).superRefine((body, ctx) => {
    for (const field of fields)
      if (body[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `not part of ${what}` });
  });

/** What only a body of that resource has, and what it never has: an order has no order_id, a refund no status. */
const resourceShape = new Map<string, z.ZodType[]>([
  ['Order', [without(['order_id'], 'an order')]],
  ['Fulfillment', [z.object({ order_id: id, status: text }), without(['refund_line_items'], 'a fulfillment')]],
  ['Refund', [z.object({ order_id: id, refund_line_items: z.array(z.unknown()) }), without(['status'], 'a refund')]],
]);

const topicShape = new Map<string, z.ZodType>([
  ['orders/cancelled', z.object({ cancelled_at: instant })],
  ['orders/fulfilled', z.object({ fulfillment_status: z.literal('fulfilled') })],
]);

/** Throws PayloadError (400) naming the field when a body does not fit its topic; unknown topics are not checked. */
export function assertFitsTopic(topic: string, body: unknown): void {
  const resource = RESOURCE.get(topic);
  if (!resource) return;
  const gid = readPayload(z.object({ admin_graphql_api_id: optional(text) }), body).admin_graphql_api_id;
  if (gid !== undefined && !gid.startsWith(`gid://shopify/${resource}/`))
    throw new PayloadError(`admin_graphql_api_id: expected a ${resource} for ${topic}`);
  for (const shape of resourceShape.get(resource) ?? []) readPayload(shape, body);
  const extra = topicShape.get(topic);
  if (extra) readPayload(extra, body);
}

/**
 * The shop a delivery is for: the X-Shopify-Shop-Domain header, and for the compliance topics the signed
 * `shop_domain`, must be the store's configured domain (when one is configured) and agree with each other. One app
 * secret signs for every shop that installed the app, so a valid signature alone does not mean "this store".
 */
export function assertShop(request: SourceRequest, bodyDomain?: string): void {
  const configured = request.shopDomain?.toLowerCase();
  const sent = header(request, 'x-shopify-shop-domain')?.toLowerCase();
  if (configured && sent !== configured)
    throw new SignatureError("x-shopify-shop-domain: missing or not this store's shop");
  const expected = configured ?? sent;
  if (bodyDomain !== undefined && expected !== undefined && bodyDomain !== expected)
    throw new SignatureError("shop_domain: not this store's shop");
}
