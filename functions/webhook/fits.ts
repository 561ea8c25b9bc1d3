import { getConfig } from '../shared/config/load.ts';
import type { StoreConfig } from '../shared/config/schema.ts';
import { planSequence } from '../shared/domain/plan.ts';
import type { Purchase, SourceEvent } from '../shared/domain/purchase.ts';
import type { Run } from '../shared/domain/run.ts';
import { SEQUENCES, type SequenceName } from '../shared/domain/vocabulary.ts';
import { HttpError } from '../shared/http.ts';

/**
 * What is accepted must be storable: a DynamoDB item holds at most 400 KB
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-items) and a Step
 * Functions execution input at most 256 KiB (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html).
 * The purchase item carries the purchase and its plans, so both are measured here, before anything is written, with
 * headroom for what later events add (delivery dates, refunded lines, generations). An order that does not fit is a
 * 413 naming the reason — never a 500 the platform retries forever, never a 200 that silently becomes nothing.
 */
export const MAX_RECORD_BYTES = 300_000;
export const MAX_RUN_INPUT_BYTES = 192 * 1024;

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');

/** The plans the apply step will store for this purchase (pure: the same planner, on the webhook's clock). */
function plansFor(purchase: Purchase, store: StoreConfig, now: number): Run[] {
  const context = { config: getConfig(), store, now, arrivedAt: now };
  return SEQUENCES.map((sequence: SequenceName) => planSequence(sequence, purchase, context)).filter(
    (plan): plan is Run => plan !== undefined,
  );
}

/** The sizes that decide whether an event can be stored: the purchase item (with plans) and the largest run input. */
export function storedSizes(event: SourceEvent, store: StoreConfig, now: number) {
  if (event.kind !== 'purchase') return { record: bytes(event), runInput: 0 };
  const plans = plansFor(event.purchase, store, now);
  // Worst case for the record: every line refunded later (refundedLineIds) on top of the purchase and its plans.
  const refunded = event.purchase.lineItems.map((line) => line.lineId);
  return {
    record: bytes({ purchase: event.purchase, sequences: plans, refundedLineIds: refunded }),
    runInput: Math.max(0, ...plans.map(bytes)),
  };
}

export function assertStorable(event: SourceEvent, store: StoreConfig, now: number): void {
  const sizes = storedSizes(event, store, now);
  const what = event.kind === 'purchase' ? 'order' : 'event';
  if (sizes.record > MAX_RECORD_BYTES)
    throw new HttpError(
      413,
      `${what} too large to store: ${Math.ceil(sizes.record / 1000)} KB with its plans, above the ${MAX_RECORD_BYTES / 1000} KB kept per purchase (fewer line items or shorter texts)`,
    );
  if (sizes.runInput > MAX_RUN_INPUT_BYTES)
    throw new HttpError(
      413,
      `order too large to schedule: a follow-up plan of ${Math.ceil(sizes.runInput / 1024)} KiB, above ${MAX_RUN_INPUT_BYTES / 1024} KiB (fewer line items)`,
    );
}
