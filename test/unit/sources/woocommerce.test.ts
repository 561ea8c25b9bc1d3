import { createHash } from 'node:crypto';
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
  wooRequest,
} from './signed-requests.ts';

/** WooCommerce sends compact JSON; the fixture was pretty-printed by its committer. */
const orderBody = () => jsonBody(JSON.parse(fixture('woocommerce/order-created.wc-5.8.json').toString('utf8')));
const order = () => JSON.parse(orderBody().toString('utf8'));

function outcome(attempt: () => unknown): string {
  try {
    attempt();
    return 'accepted';
  } catch (error) {
    return error instanceof SignatureError ? 'rejected' : String(error);
  }
}

describe('WooCommerce webhooks', () => {
  it('maps a captured WooCommerce 5.8 order.created to a purchase', () => {
    // Prepare
    const signed = wooRequest(fixture('woocommerce/order-created.wc-5.8.json'), 'order.created');

    // Act
    const purchase = purchaseOf(receive('woocommerce', signed, [SECRET]));

    // Assess
    expect(purchaseSchema.parse(purchase)).toEqual(purchase);
    expect(purchase).toEqual({
      storeId: 'coffee-corner',
      platform: 'woocommerce',
      orderId: '205',
      orderNumber: '205',
      customer: { id: '1', email: 'strange@erpnext.com', firstName: 'doctor', marketingConsent: false },
      lineItems: [
        {
          lineId: '424',
          productId: '30',
          sku: 'woo-album',
          title: 'Album',
          quantity: 1,
          price: '15',
          currency: 'INR',
          tags: [],
        },
      ],
      currency: 'INR',
      total: '17.70',
      purchasedAt: '2021-11-30T07:32:10.000Z',
      status: 'open',
      refundedLineIds: [],
    });
  });

  it('uses the delivery id, or a hash of the body when there is none, and the order modification time', () => {
    // Prepare
    const body = orderBody();
    const signed = wooRequest(body, 'order.updated');
    const withoutId = request(body, { ...signed.headers, 'x-wc-webhook-delivery-id': undefined });

    // Act
    const withDeliveryId = sources.woocommerce.verify(signed, [SECRET]);
    const hashed = sources.woocommerce.verify(withoutId, [SECRET]);

    // Assess
    expect(withDeliveryId).toEqual({
      ping: false,
      delivery: { eventId: '8e1e3c6bd1c0b0b9d1e6', topic: 'order.updated', occurredAt: '2021-11-30T07:32:11.000Z' },
    });
    expect(hashed.ping === false && hashed.delivery.eventId).toBe(createHash('sha256').update(body).digest('hex'));
  });

  it('rejects the order when any single byte of the body changes', () => {
    // Prepare
    const body = orderBody();
    const { headers } = wooRequest(body, 'order.created');

    // Act
    const outcomes = [...body.keys()].map((position) =>
      outcome(() => sources.woocommerce.verify(request(flipByte(body, position), headers), [SECRET])),
    );

    // Assess
    expect(new Set(outcomes)).toEqual(new Set(['rejected']));
  });

  it('rejects any changed character of the signature', () => {
    // Prepare
    const body = orderBody();
    const signed = wooRequest(body, 'order.created');
    const signature = signed.headers['x-wc-webhook-signature'] ?? '';

    // Act
    const outcomes = [...signature].map((_, position) =>
      outcome(() =>
        sources.woocommerce.verify(
          request(body, { ...signed.headers, 'x-wc-webhook-signature': flipChar(signature, position) }),
          [SECRET],
        ),
      ),
    );

    // Assess
    expect(new Set(outcomes)).toEqual(new Set(['rejected']));
  });

  it('answers the unsigned creation ping, and nothing else that comes unsigned', () => {
    // Prepare
    const ping = request(Buffer.from('webhook_id=17'), { 'content-type': 'application/x-www-form-urlencoded' });
    const unsigned = [
      Buffer.from('webhook_id=17&status=active'),
      Buffer.from('webhook_id=17\n'),
      Buffer.from('webhook_id='),
      orderBody(),
      Buffer.from(''),
    ].map((body) =>
      request(body, { 'content-type': 'application/x-www-form-urlencoded', 'x-wc-webhook-topic': 'order.created' }),
    );

    // Act
    const answer = sources.woocommerce.verify(ping, [SECRET]);
    const outcomes = unsigned.map((attempt) => outcome(() => sources.woocommerce.verify(attempt, [SECRET])));

    // Assess
    expect(answer).toEqual({ ping: true });
    expect(outcomes).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
  });

  it('maps order statuses, completion and deletion', () => {
    // Prepare
    const base = order();
    const statuses = ['cancelled', 'refunded', 'failed', 'processing'].map((status) => ({ ...base, status }));
    const completed = { ...base, status: 'completed', date_completed_gmt: '2021-12-02T09:00:00' };

    // Act
    const mapped = statuses.map((body) =>
      purchaseOf(receive('woocommerce', wooRequest(jsonBody(body), 'order.updated'), [SECRET])),
    );
    const done = purchaseOf(receive('woocommerce', wooRequest(jsonBody(completed), 'order.updated'), [SECRET]));
    const deleted = receive('woocommerce', wooRequest(jsonBody({ id: 205 }), 'order.deleted'), [SECRET]);
    const coupon = receive('woocommerce', wooRequest(jsonBody({ id: 3 }), 'coupon.created'), [SECRET]);

    // Assess
    expect(mapped.map((purchase) => purchase.status)).toEqual(['cancelled', 'refunded', 'cancelled', 'open']);
    expect(done.deliveredAt).toBe('2021-12-02T09:00:00.000Z');
    expect(deleted).toEqual({ kind: 'cancelled', orderId: '205' });
    expect(coupon).toEqual({ kind: 'ignored', topic: 'coupon.created' });
  });

  it('keeps ids beyond 2^53, reads guests and WPML languages', () => {
    // Prepare
    const text = JSON.stringify({
      ...order(),
      customer_id: 0,
      billing: { first_name: '', email: '' },
      meta_data: [{ id: 1, key: 'wpml_language', value: 'nl_BE' }],
    }).replace('"id":205', '"id":12345678901234567891');

    // Act
    const purchase = purchaseOf(receive('woocommerce', wooRequest(Buffer.from(text), 'order.created'), [SECRET]));

    // Assess
    expect(purchase.orderId).toBe('12345678901234567891');
    expect(purchase.customer).toEqual({ locale: 'nl-BE', marketingConsent: false });
  });

  it('refuses an order without line items, naming the field', () => {
    // Prepare
    const signed = wooRequest(jsonBody({ ...order(), line_items: [] }), 'order.created');

    // Act
    const act = () => receive('woocommerce', signed, [SECRET]);

    // Assess
    expect(act).toThrow(new PayloadError('line_items: expected at least one line item'));
  });
});
