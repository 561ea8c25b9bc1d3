import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as z from 'zod';
import { getConfig } from '../../functions/shared/config/load.ts';
import { customerTimeZone, deliveryTime, planSequence } from '../../functions/shared/domain/plan.ts';
import type { Purchase } from '../../functions/shared/domain/purchase.ts';
import { PLATFORMS, type Platform, SEQUENCES } from '../../functions/shared/domain/vocabulary.ts';
import { PayloadError, sources } from '../../functions/shared/sources/index.ts';
import { peekField } from '../../functions/shared/sources/json.ts';
import { dateArgument, defineCommand, storeId, targetSchema, UsageError } from '../command.ts';
import { localTime, table } from '../format.ts';
import { requireStore, useTarget } from '../target.ts';

/** The topic a platform sends new orders under; Stripe and generic bodies name their own type. */
const PURCHASE_TOPIC: Record<Platform, string | undefined> = {
  shopify: 'orders/create',
  woocommerce: 'order.created',
  stripe: undefined,
  generic: undefined,
};

const schema = z.strictObject({
  store: storeId,
  platform: z.enum(PLATFORMS, { message: `expected one of ${PLATFORMS.join(', ')}` }),
  file: z.string().min(1),
  topic: z.string().min(1).max(100).optional(),
  at: dateArgument.optional(),
  config: targetSchema.config,
});

export const plan = defineCommand({
  name: 'plan',
  summary: 'the emails an order payload would get, and when — stores and sends nothing',
  help: `Usage: aftercare plan --store <id> --platform <${PLATFORMS.join('|')}> --file <order.json> [--topic <topic>] [--at <date>]

Parses the payload with the same code as the webhook and plans every sequence with the current configuration:
sequence, step, template and the planned time in the customer's time zone. Steps already past on arrival are
marked: they would be skipped, not sent late. Nothing is written to the table and nothing is sent.

  --topic      the webhook topic (default: orders/create for Shopify, order.created for WooCommerce, the body's
               "type" for Stripe and generic)
  --at         pretend the order arrives at this time (default: now)
  --config     configuration file (default: AFTERCARE_CONFIG, else infra/aftercare.config.json)`,
  options: {
    store: { type: 'string' },
    platform: { type: 'string' },
    file: { type: 'string' },
    topic: { type: 'string' },
    at: { type: 'string' },
    config: { type: 'string' },
  },
  schema,
  async run(args, io) {
    useTarget({ config: args.config });
    const store = requireStore(args.store);
    const now = args.at ? Date.parse(args.at) : Date.now();
    const purchase = readPurchase(args.platform, resolve(args.file), args.topic, store.id, now);
    const config = getConfig();
    const zone = customerTimeZone(purchase, store);
    const steps = SEQUENCES.flatMap((sequence) =>
      (planSequence(sequence, purchase, { config, store, now, arrivedAt: now })?.steps ?? []).map((step) => ({
        sequence,
        step,
      })),
    ).sort((a, b) => Date.parse(a.step.at) - Date.parse(b.step.at));
    const rows = steps.map(({ sequence, step }) => {
      const note = step.late ? 'skipped: already past on arrival' : step.to === 'store' ? 'to the store' : '';
      return [sequence, step.key, step.template, localTime(step.at, zone), note];
    });
    const items = purchase.lineItems.map((item) => `${item.quantity}× ${item.title}`).join(', ');
    const delivery = purchase.deliveredAt
      ? `delivered ${localTime(purchase.deliveredAt, zone)}`
      : `delivery assumed ${localTime(deliveryTime(purchase, config), zone)} (a delivery webhook moves delivery-based steps)`;
    io.out(
      [
        `Order ${purchase.orderNumber ?? purchase.orderId} · ${items}`,
        `Customer ${purchase.customer.email ?? '(no address)'} · language ${purchase.customer.locale ?? store.defaultLocale} · time zone ${zone}`,
        `Bought ${localTime(purchase.purchasedAt, zone)} · ${delivery}`,
        ...(store.platforms.includes(args.platform)
          ? []
          : [`Note: store ${store.id} does not accept ${args.platform}.`]),
        '',
        blocker(purchase) ??
          (rows.length
            ? table(['SEQUENCE', 'STEP', 'TEMPLATE', `WHEN (${zone})`, 'NOTE'], rows)
            : 'No emails planned.'),
        '',
        'A survey answer adds: a detractor alert to the store and a "sorry" email (0–6), or a review request (9–10).',
        'At send time the frequency cap and unsubscribes can still postpone or skip a step. Nothing was stored or sent.',
      ].join('\n'),
    );
    return 0;
  },
});

function blocker(purchase: Purchase): string | undefined {
  if (purchase.status !== 'open') return `The order is ${purchase.status}: no email would be sent.`;
  if (!purchase.customer.email) return 'The order has no email address: it would be stored, but no email sent.';
  return undefined;
}

function readPurchase(platform: Platform, file: string, topic: string | undefined, store: string, now: number) {
  let rawBody: Buffer;
  try {
    rawBody = readFileSync(file);
  } catch (error) {
    throw new UsageError(`--file: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    const type = peekField(rawBody, 'type');
    const chosen = topic ?? PURCHASE_TOPIC[platform] ?? (typeof type === 'string' ? type : undefined);
    if (!chosen) throw new UsageError(`--topic: the body has no "type"; give the ${platform} event type`);
    const request = { headers: {}, rawBody, storeId: store, now };
    const event = sources[platform].parse(request, {
      eventId: 'plan-preview',
      topic: chosen,
      occurredAt: new Date(now).toISOString(),
    });
    if (event.kind !== 'purchase')
      throw new UsageError(`${file}: a "${chosen}" payload is not a purchase (${event.kind})`);
    return event.purchase;
  } catch (error) {
    if (error instanceof PayloadError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
}
