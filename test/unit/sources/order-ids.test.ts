import { describe, expect, it } from 'vitest';
import { PayloadError } from '#shared/sources/index.ts';
import { inPlatformNamespace, platformOrderId } from '#shared/sources/order-ids.ts';
import { eventKeyId, keys } from '#shared/store/keys.ts';

describe('order and event ids as keys', () => {
  it('gives the same order number on two platforms two different order ids', () => {
    // Prepare
    const platforms = ['shopify', 'woocommerce', 'stripe', 'generic'] as const;

    // Act
    const ids = platforms.map((platform) => platformOrderId(platform, '1001'));

    // Assess
    expect(ids).toEqual(['shopify:1001', 'woocommerce:1001', 'stripe:1001', '1001']);
    expect(new Set(ids.map((id) => keys.purchase('acme', id).PK)).size).toBe(4);
  });

  it('refuses a generic order id that would reach another platform’s order', () => {
    // Prepare
    const reach = { kind: 'cancelled' as const, orderId: 'Shopify:820982911946154500' };

    // Act
    const namespaced = () => inPlatformNamespace('generic', reach);

    // Assess
    expect(namespaced).toThrow(new PayloadError('data.id: must not start with a platform name and ":"'));
  });

  it('namespaces every order id an event names, privacy requests included', () => {
    // Act
    const event = inPlatformNamespace('shopify', { kind: 'customer-redact', orderIds: ['1', '2'] });

    // Assess
    expect(event).toEqual({ kind: 'customer-redact', orderIds: ['shopify:1', 'shopify:2'] });
  });

  it('keeps plain event ids and bounds any other under 1,024 bytes, distinct for distinct ids', () => {
    // Prepare
    const long = ['a', 'b'].map((tail) => `${'é'.repeat(2_000)}${tail}`);

    // Act
    const kept = eventKeyId('b54557e4-bdd9-4b37-8a5f-bf7d70bcd043');
    const bounded = long.map((id) => keys.event('acme', 'shopify:1', 'shopify', id).SK);

    // Assess
    expect(kept).toBe('b54557e4-bdd9-4b37-8a5f-bf7d70bcd043');
    expect(bounded.every((sk) => Buffer.byteLength(sk) < 1_024)).toBe(true);
    expect(bounded[0]).not.toBe(bounded[1]);
    expect(eventKeyId('msg with spaces')).toMatch(/^~[0-9a-f]{64}$/);
  });
});
