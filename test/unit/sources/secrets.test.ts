import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secretEnvName, webhookSecrets } from '#shared/secrets.ts';
import { SignatureError, sources } from '#shared/sources/index.ts';
import { secretProblem, standardWebhooksKey } from '#shared/sources/signing-keys.ts';
import { jsonBody, NOW_SECONDS, request } from './signed-requests.ts';

const base64Of = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');
const body = jsonBody({ type: 'order.cancelled', data: { id: '1001' } });

describe('webhook signing secrets', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    process.env.AFTERCARE_STAGE = 'local';
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('refuses at load a secret that decodes to fewer than 16 bytes or is not base64, as the reference library does', () => {
    // Prepare
    const weak = ['whsec_', 'whsec_!!not-base64!!', `whsec_${base64Of(15)}`, 'whsec_YQ', 'short-text'];
    const strong = `whsec_${base64Of(16)}`;
    process.env[secretEnvName('acme', 'generic')] = [...weak, strong].join(',');

    // Act
    return webhookSecrets('acme', 'generic').then((loaded) => {
      // Assess: only the strong one is kept; the reference library refuses the empty key too
      expect(loaded).toEqual([strong]);
      expect(() => new Webhook('whsec_')).toThrow(/empty/);
      expect(weak.map((secret) => secretProblem('generic', secret) !== undefined)).toEqual([
        true,
        true,
        true,
        true,
        true,
      ]);
    });
  });

  it('never lets a zero-byte key sign for a store, even when handed one directly', () => {
    // Prepare: what anyone can compute when the configured secret is just "whsec_"
    const id = 'msg_forged';
    const forged = createHmac('sha256', Buffer.alloc(0))
      .update(Buffer.concat([Buffer.from(`${id}.${NOW_SECONDS}.`), body]))
      .digest('base64');
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(NOW_SECONDS), 'webhook-signature': `v1,${forged}` };

    // Act
    const verify = () => sources.generic.verify(request(body, headers), ['whsec_']);

    // Assess
    expect(verify).toThrow(SignatureError);
  });

  it('reads whsec_<base64> and bare base64 as one key, as standardwebhooks and svix do', () => {
    // Prepare
    const encoded = base64Of(24);

    // Act
    const keys = [`whsec_${encoded}`, encoded].map((secret) => standardWebhooksKey(secret)?.toString('hex'));

    // Assess
    expect(keys[0]).toBe(Buffer.alloc(24, 7).toString('hex'));
    expect(keys[1]).toBe(keys[0]);
  });

  it("keeps store acme-shopify's secret and store acme's Shopify secret apart", async () => {
    // Prepare
    const storeWide = `whsec_${base64Of(20)}`;
    const acmeShopify = 'shpss_acme-shop-secret-0001';
    process.env[secretEnvName('acme-shopify')] = storeWide;
    process.env[secretEnvName('acme', 'shopify')] = acmeShopify;

    // Act
    const [forAcme, forAcmeShopifyStore] = await Promise.all([
      webhookSecrets('acme', 'shopify'),
      webhookSecrets('acme-shopify', 'generic'),
    ]);

    // Assess
    expect(secretEnvName('acme-shopify')).not.toBe(secretEnvName('acme', 'shopify'));
    expect(forAcme).toEqual([acmeShopify]);
    expect(forAcmeShopifyStore).toEqual([storeWide]);
  });
});
