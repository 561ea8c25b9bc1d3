import { describe, expect, it } from 'vitest';
import { matchRoute } from '../../infra/routes.ts';

describe('HTTP API routes', () => {
  it('matches a route and decodes its path parameters', () => {
    expect(matchRoute('POST', '/webhooks/shopify/my%20store')).toEqual({
      route: { method: 'POST', path: '/webhooks/{platform}/{storeId}', function: 'webhook' },
      pathParameters: { platform: 'shopify', storeId: 'my store' },
    });
  });

  it('matches nothing for another method, a missing segment or a malformed percent-escape', () => {
    expect(matchRoute('GET', '/webhooks/shopify/demo')).toBeUndefined();
    expect(matchRoute('HEAD', '/s/abc')).toBeUndefined();
    expect(matchRoute('POST', '/webhooks/shopify')).toBeUndefined();
    expect(matchRoute('GET', '/s/%zz')).toBeUndefined();
    expect(matchRoute('GET', '/u/%E0%A4%A')).toBeUndefined();
  });
});
