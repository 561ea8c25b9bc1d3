import { describe, expect, it } from 'vitest';
import { purchaseSchema } from '#shared/domain/purchase.ts';
import { PayloadError, SignatureError, sources } from '#shared/sources/index.ts';
import {
  flipByte,
  flipChar,
  genericRequest,
  jsonBody,
  NOW_SECONDS,
  purchaseOf,
  receive,
  request,
  STANDARD_SECRET,
  standardSignature,
} from './signed-requests.ts';

/** The example from GENERIC.md. */
const orderCreated = () => ({
  type: 'order.created',
  timestamp: '2025-03-01T10:15:00Z',
  data: {
    id: '10042',
    number: '#10042',
    customer: {
      id: 'c-881',
      email: 'anna@example.com',
      first_name: 'Anna',
      locale: 'nl-BE',
      time_zone: 'Europe/Brussels',
      accepts_marketing: true,
    },
    line_items: [
      {
        id: '10042-1',
        product_id: 'espresso-pro',
        variant_id: 'espresso-pro-black',
        sku: 'ESP-PRO-BLK',
        title: 'Espresso Pro (black)',
        quantity: 1,
        price: '449.00',
        currency: 'EUR',
        product_type: 'Espresso machine',
        tags: ['machine', 'warranty-36'],
      },
    ],
    currency: 'EUR',
    total: '449.00',
    created_at: '2025-03-01T11:14:52+01:00',
  },
});

function outcome(attempt: () => unknown): string {
  try {
    attempt();
    return 'accepted';
  } catch (error) {
    return error instanceof SignatureError ? 'rejected' : String(error);
  }
}

describe('generic (Standard Webhooks) source', () => {
  it('maps the documented example to a purchase', () => {
    // Prepare
    const signed = genericRequest(jsonBody(orderCreated()));

    // Act
    const verification = sources.generic.verify(signed, [STANDARD_SECRET]);
    const purchase = purchaseOf(receive('generic', signed, [STANDARD_SECRET]));

    // Assess
    expect(verification).toEqual({
      ping: false,
      delivery: { eventId: 'msg_2b7Kx9', topic: 'order.created', occurredAt: '2025-03-01T10:15:00.000Z' },
    });
    expect(purchaseSchema.parse(purchase)).toEqual(purchase);
    expect(purchase).toEqual({
      storeId: 'coffee-corner',
      platform: 'generic',
      orderId: '10042',
      orderNumber: '#10042',
      customer: {
        id: 'c-881',
        email: 'anna@example.com',
        firstName: 'Anna',
        locale: 'nl-BE',
        timeZone: 'Europe/Brussels',
        marketingConsent: true,
      },
      lineItems: [
        {
          lineId: '10042-1',
          productId: 'espresso-pro',
          variantId: 'espresso-pro-black',
          sku: 'ESP-PRO-BLK',
          title: 'Espresso Pro (black)',
          quantity: 1,
          price: '449.00',
          currency: 'EUR',
          productType: 'Espresso machine',
          tags: ['machine', 'warranty-36'],
        },
      ],
      currency: 'EUR',
      total: '449.00',
      purchasedAt: '2025-03-01T10:14:52.000Z',
      status: 'open',
      refundedLineIds: [],
    });
  });

  it('reads a secret without whsec_ as base64, as standardwebhooks and svix do, and accepts any of several signatures', () => {
    // Prepare: the secret as the reference libraries accept it without its prefix (base64 of the key bytes).
    const unprefixed = STANDARD_SECRET.slice('whsec_'.length);
    const body = jsonBody(orderCreated());
    const signed = genericRequest(body, unprefixed);
    const several = `v1,${'A'.repeat(44)} ${signed.headers['webhook-signature']}`;

    // Act
    const verifications = [[unprefixed], [STANDARD_SECRET]].map((secrets) =>
      sources.generic.verify(request(body, { ...signed.headers, 'webhook-signature': several }), secrets),
    );

    // Assess: both spellings are one key
    expect(verifications.map((verification) => verification.ping)).toEqual([false, false]);
  });

  it('rejects tampered bodies, ids, timestamps and signatures, and replays', () => {
    // Prepare
    const body = jsonBody(orderCreated());
    const { headers } = genericRequest(body);
    const signature = headers['webhook-signature'] ?? '';
    const old = NOW_SECONDS - 301;
    const attempts = [
      ...[0, 10, 200, body.length - 1].map((position) => request(flipByte(body, position), headers)),
      ...[3, 20, signature.length - 1].map((position) =>
        request(body, { ...headers, 'webhook-signature': flipChar(signature, position) }),
      ),
      request(body, { ...headers, 'webhook-id': 'msg_other' }),
      request(body, { ...headers, 'webhook-timestamp': String(NOW_SECONDS - 1) }),
      request(body, {
        ...headers,
        'webhook-timestamp': String(old),
        'webhook-signature': standardSignature(body, 'msg_2b7Kx9', old),
      }),
      request(body, { ...headers, 'webhook-signature': signature.replace('v1,', 'v2,') }),
      request(body, { ...headers, 'webhook-id': undefined }),
      request(body, {}),
    ];

    // Act
    const outcomes = attempts.map((attempt) => outcome(() => sources.generic.verify(attempt, [STANDARD_SECRET])));

    // Assess
    expect(new Set(outcomes)).toEqual(new Set(['rejected']));
  });

  it('maps delivery, cancellation and refund events', () => {
    // Prepare
    const bodies = [
      { type: 'order.delivered', data: { id: 10042, delivered_at: '2025-03-04T15:00:00+01:00' } },
      { type: 'order.fulfilled', timestamp: '2025-03-02T08:00:00Z', data: { id: '10042' } },
      { type: 'order.cancelled', data: { id: '10042' } },
      { type: 'order.refunded', data: { id: '10042', refunded_line_ids: ['10042-1'] } },
      { type: 'order.refunded', data: { id: '10042' } },
      { type: 'customer.updated', data: {} },
    ];

    // Act
    const events = bodies.map((body) => receive('generic', genericRequest(jsonBody(body)), [STANDARD_SECRET]));

    // Assess
    expect(events).toEqual([
      { kind: 'delivered', orderId: '10042', deliveredAt: '2025-03-04T14:00:00.000Z' },
      { kind: 'delivered', orderId: '10042', deliveredAt: '2025-03-02T08:00:00.000Z' },
      { kind: 'cancelled', orderId: '10042' },
      { kind: 'refunded', orderId: '10042', lineIds: ['10042-1'] },
      { kind: 'refunded', orderId: '10042' },
      { kind: 'ignored', topic: 'customer.updated' },
    ]);
  });

  it('refuses an order that does not fit, naming each field under data', () => {
    // Prepare
    const example = orderCreated();
    const [line] = example.data.line_items;
    const misfits = [
      { ...example.data, line_items: [] },
      { ...example.data, line_items: [{ ...line, price: 'free' }] },
      { ...example.data, line_items: [{ ...line, quantity: 1.5 }], created_at: 'yesterday' },
      { ...example.data, customer: { ...example.data.customer, time_zone: 'Mars/Olympus' } },
    ];

    // Act
    const messages = misfits.map((data) => {
      try {
        receive('generic', genericRequest(jsonBody({ type: 'order.paid', data })), [STANDARD_SECRET]);
        return 'accepted';
      } catch (error) {
        return error instanceof PayloadError ? error.message : String(error);
      }
    });

    // Assess
    expect(messages).toEqual([
      'data.line_items: expected at least one line item',
      'data.line_items.0.price: expected a decimal amount',
      'data.line_items.0.quantity: expected a whole number; data.created_at: expected a date and time such as 2025-01-31T12:00:00Z',
      'data.customer.time_zone: expected an IANA time zone such as Europe/Amsterdam',
    ]);
    expect(messages.join(' ')).not.toContain('anna@example.com');
  });

  it('refuses a signed body without a type', () => {
    // Prepare
    const signed = genericRequest(jsonBody({ data: orderCreated().data }));

    // Act
    const act = () => sources.generic.verify(signed, [STANDARD_SECRET]);

    // Assess
    expect(act).toThrow(new PayloadError('type: expected text'));
  });
});
