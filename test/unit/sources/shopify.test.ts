import { describe, expect, it } from 'vitest';
import { purchaseSchema } from '#shared/domain/purchase.ts';
import { PayloadError, SignatureError, sources } from '#shared/sources/index.ts';
import {
  fixture,
  flipByte,
  flipChar,
  jsonBody,
  purchaseOf,
  receive,
  request,
  SECRET,
  shopifyRequest,
} from './signed-requests.ts';

const orderFixture = () => fixture('shopify/orders-create.2025-01.json');
const order = () => JSON.parse(orderFixture().toString('utf8'));

describe('Shopify webhooks', () => {
  it('maps the published orders/create sample to a purchase with its customer, items and dates', () => {
    // Prepare
    const signed = shopifyRequest(orderFixture(), 'orders/create');

    // Act
    const purchase = purchaseOf(receive('shopify', signed, [SECRET]));

    // Assess
    expect(purchaseSchema.parse(purchase)).toEqual(purchase);
    expect(purchase).toMatchObject({
      storeId: 'coffee-corner',
      platform: 'shopify',
      orderId: '820982911946154500',
      orderNumber: '#9999',
      customer: { id: '115310627314723950', email: 'jon@example.com', firstName: 'John', locale: 'en' },
      currency: 'USD',
      total: '388.00',
      purchasedAt: '2022-01-01T00:00:00.000Z',
      status: 'cancelled',
    });
    expect(purchase.lineItems).toEqual([
      expect.objectContaining({ lineId: '866550311766439000', productId: '632910392', variantId: '808950810' }),
      expect.objectContaining({ lineId: '141249953214522980', sku: 'IPOD2008PINK', title: 'IPod Nano - 8GB' }),
    ]);
    expect(purchase.lineItems.map((line) => [line.quantity, line.price, line.currency])).toEqual([
      [1, '199.00', 'USD'],
      [1, '199.00', 'USD'],
    ]);
  });

  it('takes the delivery id and topic from the headers, and when it happened from the signed body only', () => {
    // Prepare: X-Shopify-Triggered-At is unsigned; a replay stamped in the future must not outrank later updates.
    const signed = shopifyRequest(orderFixture(), 'orders/paid');
    const future = { ...signed, headers: { ...signed.headers, 'x-shopify-triggered-at': '2999-01-01T00:00:00Z' } };

    // Act
    const verifications = [signed, future].map((delivery) => sources.shopify.verify(delivery, [SECRET]));

    // Assess
    const delivery = {
      eventId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      topic: 'orders/paid',
      occurredAt: '2022-01-01T00:00:00.000Z', // the body's updated_at
    };
    expect(verifications).toEqual([
      { ping: false, delivery },
      { ping: false, delivery },
    ]);
  });

  it('maps refunds/create to a refund of the listed lines of the order', () => {
    // Prepare
    const signed = shopifyRequest(fixture('shopify/refunds-create.2025-01.json'), 'refunds/create');

    // Act
    const event = receive('shopify', signed, [SECRET]);

    // Assess
    expect(event).toEqual({
      kind: 'refunded',
      orderId: '820982911946154500',
      lineIds: ['866550311766439000', '141249953214522980'],
    });
  });

  it('lets an amount-only refund (shipping, goodwill) refund no item', () => {
    // Prepare
    const refund = JSON.parse(fixture('shopify/refunds-create.2025-01.json').toString('utf8'));
    const amountOnly = Buffer.from(JSON.stringify({ ...refund, refund_line_items: [] }));

    // Act
    const event = receive('shopify', shopifyRequest(amountOnly, 'refunds/create'), [SECRET]);

    // Assess
    expect(event).toEqual({ kind: 'ignored', topic: 'refunds/create (amount only)' });
  });

  it('accepts the body signed with either secret during a rotation', () => {
    // Prepare
    const signed = shopifyRequest(orderFixture(), 'orders/create', 'shpss_new-rotation-secret');

    // Act
    const event = receive('shopify', signed, ['shpss_old-rotation-secret', 'shpss_new-rotation-secret']);

    // Assess
    expect(event.kind).toBe('purchase');
  });

  it('rejects the sample when any single byte of the body changes', () => {
    // Prepare
    const body = orderFixture();
    const { headers } = shopifyRequest(body, 'orders/create');

    // Act
    const accepted = [...body.keys()].filter((position) => {
      try {
        sources.shopify.verify(request(flipByte(body, position), headers), [SECRET]);
        return true;
      } catch (error) {
        if (!(error instanceof SignatureError)) throw error;
        return false;
      }
    });

    // Assess
    expect(accepted).toEqual([]);
  });

  it('rejects a changed, missing or wrongly keyed signature with a message that names no secret', () => {
    // Prepare
    const body = orderFixture();
    const signed = shopifyRequest(body, 'orders/create');
    const signature = signed.headers['x-shopify-hmac-sha256'] ?? '';
    const tampered = [...signature].map((_, position) => ({
      ...signed.headers,
      'x-shopify-hmac-sha256': flipChar(signature, position),
    }));
    const attempts = [
      ...tampered.map((headers) => [request(body, headers), [SECRET]] as const),
      [request(body, { ...signed.headers, 'x-shopify-hmac-sha256': undefined }), [SECRET]] as const,
      [request(body, { ...signed.headers, 'x-shopify-hmac-sha256': 'not base64 at all' }), [SECRET]] as const,
      [signed, ['another-secret']] as const,
      [signed, []] as const,
    ];

    // Act
    const outcomes = attempts.map(([attempt, secrets]) => {
      try {
        sources.shopify.verify(attempt, secrets);
        return 'accepted';
      } catch (error) {
        return error instanceof SignatureError && !error.message.includes(SECRET) ? 'rejected' : String(error);
      }
    });

    // Assess
    expect(new Set(outcomes)).toEqual(new Set(['rejected']));
  });

  it('keeps ids beyond 2^53 digit for digit', () => {
    // Prepare
    const text = orderFixture()
      .toString('utf8')
      .replace('"id": 820982911946154500', '"id": 12345678901234567891')
      .replace('"id": 866550311766439000', '"id": 98765432109876543210');
    const signed = shopifyRequest(Buffer.from(text), 'orders/create');

    // Act
    const purchase = purchaseOf(receive('shopify', signed, [SECRET]));

    // Assess
    expect(purchase.orderId).toBe('12345678901234567891');
    expect(purchase.lineItems[0]?.lineId).toBe('98765432109876543210');
  });

  it('accepts a guest checkout whose email is only on the order, and one with no email at all', () => {
    // Prepare
    const { customer: _customer, email: _email, ...guest } = order();
    const withContactEmail = shopifyRequest(jsonBody(guest), 'orders/create');
    const { contact_email: _contact, ...anonymous } = guest;
    const withoutEmail = shopifyRequest(jsonBody(anonymous), 'orders/create');

    // Act
    const contactOnly = purchaseOf(receive('shopify', withContactEmail, [SECRET]));
    const noEmail = purchaseOf(receive('shopify', withoutEmail, [SECRET]));

    // Assess
    expect(contactOnly.customer).toMatchObject({ email: 'jon@example.com', firstName: 'Steve' });
    expect(contactOnly.customer.id).toBeUndefined();
    expect(noEmail.customer.email).toBeUndefined();
    expect(noEmail.lineItems).toHaveLength(2);
  });

  it('reads escaped slashes, prices sent as numbers, offsets and open, refunded or partly refunded orders', () => {
    // Prepare
    const base = order();
    const variants = {
      open: { ...base, cancelled_at: null, financial_status: 'paid' },
      refunded: { ...base, cancelled_at: null, financial_status: 'refunded' },
      partly: {
        ...base,
        cancelled_at: null,
        financial_status: 'partially_refunded',
        refunds: [{ refund_line_items: [{ line_item_id: 141249953214522980 }] }],
      },
    };
    const escaped = JSON.stringify({
      ...variants.open,
      processed_at: '2024-03-31T02:30:00+02:00',
      line_items: [{ ...base.line_items[0], title: 'AC/DC – Back in Black', price: 24.5 }],
    }).replace('AC/DC', 'AC\\/DC');

    // Act
    const [open, refunded, partly, slashes] = [
      jsonBody(variants.open),
      jsonBody(variants.refunded),
      jsonBody(variants.partly),
      Buffer.from(escaped),
    ].map((body) => purchaseOf(receive('shopify', shopifyRequest(body, 'orders/updated'), [SECRET])));

    // Assess
    expect([open?.status, refunded?.status, partly?.status]).toEqual(['open', 'refunded', 'open']);
    expect(partly?.refundedLineIds).toEqual(['141249953214522980']);
    expect(slashes?.lineItems[0]).toMatchObject({ title: 'AC/DC – Back in Black', price: '24.5' });
    expect(slashes?.purchasedAt).toBe('2024-03-31T00:30:00.000Z');
  });

  it('maps fulfilment, cancellation and privacy topics', () => {
    // Prepare
    const fulfilled = {
      ...order(),
      fulfillment_status: 'fulfilled',
      fulfillments: [
        { created_at: '2025-01-02T10:00:00+01:00', updated_at: '2025-01-03T10:00:00+01:00' },
        { created_at: '2025-01-04T10:00:00+01:00', updated_at: null },
      ],
    };
    const deliveries = [
      ['orders/fulfilled', fulfilled],
      [
        'fulfillments/update',
        {
          order_id: 450789469,
          status: 'success',
          shipment_status: 'delivered',
          created_at: '2025-01-02T10:00:00Z',
          updated_at: '2025-01-05T08:00:00Z',
        },
      ],
      [
        'fulfillments/create',
        {
          order_id: 450789469,
          status: 'success',
          shipment_status: null,
          created_at: '2025-01-02T10:00:00Z',
          updated_at: '2025-01-02T11:00:00Z',
        },
      ],
      ['orders/cancelled', { ...order(), cancelled_at: '2025-01-02T10:00:00Z' }],
      [
        'customers/redact',
        {
          shop_id: 954889,
          shop_domain: 'coffee.myshopify.com',
          customer: { id: 191167, email: 'john@example.com', phone: '555-625-1199' },
          orders_to_redact: [299938, 280263],
        },
      ],
      [
        'customers/data_request',
        {
          shop_id: 954889,
          shop_domain: 'coffee.myshopify.com',
          orders_requested: [299938],
          customer: { id: 191167, email: 'john@example.com', phone: '555-625-1199' },
          data_request: { id: 9999 },
        },
      ],
      ['shop/redact', { shop_id: 954889, shop_domain: 'coffee.myshopify.com' }],
      ['products/update', { id: 1 }],
    ] as const;

    // Act
    const events = deliveries.map(([topic, body]) =>
      receive('shopify', shopifyRequest(jsonBody(body), topic), [SECRET]),
    );

    // Assess
    expect(events).toEqual([
      { kind: 'delivered', orderId: '820982911946154500', deliveredAt: '2025-01-04T09:00:00.000Z' },
      { kind: 'delivered', orderId: '450789469', deliveredAt: '2025-01-05T08:00:00.000Z' },
      { kind: 'delivered', orderId: '450789469', deliveredAt: '2025-01-02T10:00:00.000Z' },
      { kind: 'cancelled', orderId: '820982911946154500' },
      { kind: 'customer-redact', customerId: '191167', email: 'john@example.com', orderIds: ['299938', '280263'] },
      { kind: 'data-request', customerId: '191167', email: 'john@example.com', orderIds: ['299938'] },
      { kind: 'shop-redact' },
      { kind: 'ignored', topic: 'products/update' },
    ]);
  });

  it('refuses a signed order that does not fit, naming the field and never the customer', () => {
    // Prepare
    const base = order();
    const misfits = [
      { ...base, line_items: [] },
      { ...base, line_items: [{ ...base.line_items[0], price: '1,99' }] },
      { ...base, currency: 'dollars' },
    ];

    // Act
    const messages = misfits.map((body) => {
      try {
        receive('shopify', shopifyRequest(jsonBody(body), 'orders/create'), [SECRET]);
        return 'accepted';
      } catch (error) {
        return error instanceof PayloadError ? error.message : String(error);
      }
    });

    // Assess
    expect(messages).toEqual([
      'line_items: expected at least one line item',
      'line_items.0.price: expected a decimal amount',
      'currency: expected a 3-letter currency code such as EUR',
    ]);
  });

  it('refuses a signed delivery without its webhook id, and a body that is not JSON', () => {
    // Prepare
    const signed = shopifyRequest(Buffer.from('{"id": 1,'), 'orders/create');
    const withoutId = { ...signed, headers: { ...signed.headers, 'x-shopify-webhook-id': undefined } };

    // Act
    const missingId = () => sources.shopify.verify(withoutId, [SECRET]);
    const notJson = () => receive('shopify', signed, [SECRET]);

    // Assess
    expect(missingId).toThrow(new PayloadError('x-shopify-webhook-id: header is required'));
    expect(notJson).toThrow(new PayloadError('body: not valid JSON'));
  });
});

// Refund line items carry `quantity` units of `line_item`: https://shopify.dev/docs/api/admin-rest/latest/resources/refund
describe('Shopify refunds of part of a line', () => {
  const refundOf = (lines: { line_item_id: number; quantity: number; ordered: number }[]) =>
    jsonBody({
      id: 890088186047892,
      order_id: 820982911946154,
      refund_line_items: lines.map(({ line_item_id, quantity, ordered }) => ({
        line_item_id,
        quantity,
        line_item: { id: line_item_id, quantity: ordered },
      })),
    });

  it('refunds a line only when all of its units are refunded', () => {
    // Prepare
    const signed = shopifyRequest(
      refundOf([
        { line_item_id: 1, quantity: 1, ordered: 3 },
        { line_item_id: 2, quantity: 2, ordered: 2 },
      ]),
      'refunds/create',
    );

    // Act
    const event = receive('shopify', signed, [SECRET]);

    // Assess
    expect(event).toEqual({ kind: 'refunded', orderId: '820982911946154', lineIds: ['2'] });
  });

  it('keeps the follow-ups of a line when only some of its units are refunded', () => {
    // Prepare
    const signed = shopifyRequest(refundOf([{ line_item_id: 1, quantity: 1, ordered: 3 }]), 'refunds/create');

    // Act
    const event = receive('shopify', signed, [SECRET]);

    // Assess
    expect(event.kind).toBe('ignored');
  });

  it('adds up the partial refunds an updated order lists, line by line', () => {
    // Prepare
    const base = order();
    const [first] = base.line_items;
    const lineItem = { ...first, id: 7, quantity: 3 };
    const refund = (quantity: number) => ({ refund_line_items: [{ line_item_id: 7, quantity }] });
    const partly = { ...base, line_items: [lineItem], refunds: [refund(1)] };
    const fully = { ...partly, refunds: [refund(1), refund(2)] };

    // Act
    const [partlyRefunded, fullyRefunded] = [partly, fully].map((body) =>
      purchaseOf(receive('shopify', shopifyRequest(jsonBody(body), 'orders/updated'), [SECRET])),
    );

    // Assess
    expect(partlyRefunded?.refundedLineIds).toEqual([]);
    expect(fullyRefunded?.refundedLineIds).toEqual(['7']);
  });
});

describe('Shopify orders with hostile text and numbers', () => {
  const withLine = (line: object, extra: object = {}) => {
    const base = order();
    return jsonBody({ ...base, line_items: [{ ...base.line_items[0], ...line }], ...extra });
  };
  const create = (body: Buffer) => receive('shopify', shopifyRequest(body, 'orders/create'), [SECRET]);

  it('refuses a price too long to be shown in an email, naming the field', () => {
    // Prepare
    const body = withLine({ price: '9'.repeat(400) });

    // Act
    const act = () => create(body);

    // Assess
    expect(act).toThrow(
      new PayloadError('line_items.0.price: expected an amount of at most 12 digits before the point and 6 after'),
    );
  });

  it('accepts the largest price it can show', () => {
    // Prepare
    const body = withLine({ price: '999999999999.999999' });

    // Act
    const purchase = purchaseOf(create(body));

    // Assess
    expect(purchase.lineItems[0]?.price).toBe('999999999999.999999');
  });

  it('shortens a first name over 200 characters instead of refusing the order', () => {
    // Prepare
    const body = withLine({}, { customer: { ...order().customer, first_name: 'A'.repeat(250) } });

    // Act
    const purchase = purchaseOf(create(body));

    // Assess
    expect(purchase.customer.firstName).toBe(`${'A'.repeat(199)}…`);
  });

  it('removes NUL, control, bidi-override and lone-surrogate characters from names and titles', () => {
    // Prepare
    const title = 'Kettle\u0000 \u202Egnp.exe\u202C Mini\uD800\u0007\nBlack';
    const body = withLine({ title }, { customer: { ...order().customer, first_name: '\u2066Anna\u2069\u001B[31m' } });

    // Act
    const purchase = purchaseOf(create(body));

    // Assess
    expect(purchase.lineItems[0]?.title).toBe('Kettle gnp.exe Mini Black');
    expect(purchase.customer.firstName).toBe('Anna[31m');
  });

  it('sends to an internationalised domain as punycode, and keeps no address SES could not send to', () => {
    // Prepare
    // SES takes 7-bit ASCII addresses, the domain in punycode: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_Destination.html
    const idn = withLine({}, { email: 'anna@bücher.de' });
    const unicodeLocal = withLine(
      {},
      { customer: { ...order().customer, email: 'änna@example.com' }, email: null, contact_email: null },
    );

    // Act
    const [idnPurchase, localPurchase] = [idn, unicodeLocal].map((body) => purchaseOf(create(body)));

    // Assess
    expect(idnPurchase?.customer.email).toBe('anna@xn--bcher-kva.de');
    expect(localPurchase?.customer.email).toBeUndefined();
  });
});

describe('Shopify order addresses', () => {
  it("writes to the address the customer gave for the order rather than the account's", () => {
    // Prepare
    const base = order();
    const body = jsonBody({
      ...base,
      email: 'new-address@example.com',
      contact_email: 'new-address@example.com',
      customer: { ...base.customer, email: 'old-account@example.com' },
    });

    // Act
    const purchase = purchaseOf(receive('shopify', shopifyRequest(body, 'orders/create'), [SECRET]));

    // Assess
    expect(purchase.customer.email).toBe('new-address@example.com');
  });

  it("falls back to the account's address when the order carries none", () => {
    // Prepare
    const base = order();
    const body = jsonBody({
      ...base,
      email: null,
      contact_email: null,
      customer: { ...base.customer, email: 'a@example.com' },
    });

    // Act
    const purchase = purchaseOf(receive('shopify', shopifyRequest(body, 'orders/create'), [SECRET]));

    // Assess
    expect(purchase.customer.email).toBe('a@example.com');
  });
});
