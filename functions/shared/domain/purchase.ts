import * as z from 'zod';
import { LOCALES, PLATFORMS } from './vocabulary.ts';

/**
 * The canonical purchase every platform's payload maps to. Ids are strings exactly as sent: Shopify ids exceed
 * 2^53 and must never pass through a JS number. Money stays a decimal string.
 */
const isoDate = z.iso.datetime({ offset: true });
const id = z.string().min(1).max(200);

export const lineItemSchema = z.strictObject({
  lineId: id,
  productId: id.optional(),
  variantId: id.optional(),
  sku: z.string().max(200).optional(),
  title: z.string().min(1).max(500),
  quantity: z.number().int().min(0),
  price: z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal amount such as "19.99"'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'),
  productType: z.string().max(200).optional(),
  tags: z.array(z.string().max(200)).default([]),
});
export type LineItem = z.infer<typeof lineItemSchema>;

export const customerSchema = z.strictObject({
  id: id.optional(),
  /** Absent for some guest checkouts: such a purchase is stored but gets no email. */
  email: z.email().max(320).optional(),
  firstName: z.string().max(200).optional(),
  /**
   * The customer's BCP 47 tag as the platform gave it, canonical ("en-GB", "nl"), in a language Aftercare writes:
   * the language picks the template's words, the whole tag formats dates and money.
   */
  locale: z
    .string()
    .max(35)
    .refine(
      (tag) => LOCALES.some((language) => language === tag.split('-')[0]),
      'must be a tag in a supported language',
    )
    .optional(),
  timeZone: z.string().max(64).optional(),
  marketingConsent: z.boolean().default(false),
});
export type Customer = z.infer<typeof customerSchema>;

export const purchaseSchema = z.strictObject({
  storeId: z.string().min(1),
  platform: z.enum(PLATFORMS),
  orderId: id,
  orderNumber: z.string().max(100).optional(),
  customer: customerSchema,
  lineItems: z.array(lineItemSchema).min(1),
  currency: z.string().regex(/^[A-Z]{3}$/),
  total: z.string().optional(),
  purchasedAt: isoDate,
  deliveredAt: isoDate.optional(),
  /** What the payload itself says: an order may arrive already cancelled or refunded. */
  status: z.enum(['open', 'cancelled', 'refunded']).default('open'),
  refundedLineIds: z.array(id).default([]),
});
export type Purchase = z.infer<typeof purchaseSchema>;

/** What a verified webhook means for Aftercare, whatever the platform. */
export type SourceEvent =
  | { kind: 'purchase'; purchase: Purchase }
  | { kind: 'delivered'; orderId: string; deliveredAt: string }
  | { kind: 'cancelled'; orderId: string }
  | { kind: 'refunded'; orderId: string /** undefined: the whole order */; lineIds?: string[] }
  | { kind: 'customer-redact'; customerId?: string; email?: string; orderIds: string[] }
  | { kind: 'shop-redact' }
  | { kind: 'data-request'; customerId?: string; email?: string; orderIds: string[] }
  | { kind: 'ignored'; topic: string };

/** The envelope every verified delivery becomes. */
export interface VerifiedDelivery {
  /** The platform's delivery/event id (dedupe key); a body hash when the platform sends none. */
  eventId: string;
  topic: string;
  /** When the platform says the event happened (stale-retry detection). */
  occurredAt: string;
}
