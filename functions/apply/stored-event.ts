import * as z from 'zod';
import { purchaseSchema, type SourceEvent } from '../shared/domain/purchase.ts';

const id = z.string().min(1).max(200);
const orderIds = z.array(id);

/** Every kind of SourceEvent the webhook function stores (functions/shared/domain/purchase.ts). */
const sourceEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('purchase'), purchase: purchaseSchema }),
  z.object({ kind: z.literal('delivered'), orderId: id, deliveredAt: z.iso.datetime({ offset: true }) }),
  z.object({ kind: z.literal('cancelled'), orderId: id }),
  z.object({ kind: z.literal('refunded'), orderId: id, lineIds: orderIds.optional() }),
  z.object({ kind: z.literal('customer-redact'), customerId: id.optional(), email: z.string().optional(), orderIds }),
  z.object({ kind: z.literal('shop-redact') }),
  z.object({ kind: z.literal('data-request'), customerId: id.optional(), email: z.string().optional(), orderIds }),
  z.object({ kind: z.literal('ignored'), topic: z.string() }),
]) satisfies z.ZodType<SourceEvent>;

/** The EVENT# item of a webhook event, as the table stream's NewImage carries it. */
export const storedEventSchema = z.object({
  PK: z.string().min(1),
  SK: z.string().startsWith('EVENT#'),
  storeId: id,
  platform: z.string().min(1),
  orderId: id.optional(),
  eventId: z.string().min(1),
  topic: z.string(),
  occurredAt: z.string().min(1),
  receivedAt: z.string().min(1),
  event: sourceEventSchema,
});
export type StoredEventItem = z.infer<typeof storedEventSchema>;
