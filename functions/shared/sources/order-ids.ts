import type { Purchase, SourceEvent } from '../domain/purchase.ts';
import type { Platform } from '../domain/vocabulary.ts';
import { PayloadError } from './errors.ts';

/**
 * One store may take orders from several platforms, whose order ids overlap (WooCommerce 1001, generic 1001).
 * Aftercare's order id is therefore the platform's id prefixed with its platform (`shopify:820982911946154500`),
 * except for the generic source, whose ids stay as sent and may not start with a platform prefix. So each
 * platform's secret reaches only that platform's orders.
 */
const PREFIXED = /^(shopify|woocommerce|stripe):/i;

export function platformOrderId(platform: Platform, orderId: string, field = 'id'): string {
  if (platform === 'generic') {
    if (PREFIXED.test(orderId)) throw new PayloadError(`${field}: must not start with a platform name and ":"`);
    return orderId;
  }
  return `${platform}:${orderId}`;
}

/** A purchase under its Aftercare order id (the import uses it too, so an imported order meets its webhooks). */
export function withPlatformOrderId(purchase: Purchase): Purchase {
  return { ...purchase, orderId: platformOrderId(purchase.platform, purchase.orderId, 'data.id') };
}

/** The event with every order id it names in Aftercare's namespace. */
export function inPlatformNamespace(platform: Platform, event: SourceEvent): SourceEvent {
  const field = platform === 'generic' ? 'data.id' : 'id';
  switch (event.kind) {
    case 'purchase':
      return { ...event, purchase: withPlatformOrderId(event.purchase) };
    case 'delivered':
    case 'cancelled':
    case 'refunded':
      return { ...event, orderId: platformOrderId(platform, event.orderId, field) };
    case 'customer-redact':
    case 'data-request':
      return { ...event, orderIds: event.orderIds.map((id) => platformOrderId(platform, id, 'orders')) };
    default:
      return event;
  }
}
