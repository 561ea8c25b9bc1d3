import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contrastRatio, inkOn } from '../contrast.ts';
import { LOCALES } from '../domain/vocabulary.ts';
import { PageError } from './errors.ts';
import { readForm } from './form.ts';
import { html } from './html.ts';
import { pageResponse } from './layout.ts';
import { crossSiteReason, csrfToken, isValidCsrf } from './security.ts';
import { pageStrings } from './strings/index.ts';

function event(headers: Record<string, string>, body?: string | Buffer): APIGatewayProxyEventV2 {
  const binary = Buffer.isBuffer(body);
  return {
    headers,
    ...(body === undefined ? {} : { body: binary ? body.toString('base64') : body }),
    isBase64Encoded: binary,
    requestContext: { domainName: 'pages.example', http: { method: 'POST' } },
  } as unknown as APIGatewayProxyEventV2;
}

describe('page building blocks', () => {
  const names = ['AFTERCARE_STAGE', 'AFTERCARE_LINK_SECRET', 'AFTERCARE_PUBLIC_URL'] as const;
  const saved = names.map((name) => [name, process.env[name]] as const);
  beforeAll(() => {
    process.env.AFTERCARE_STAGE = 'local';
    process.env.AFTERCARE_LINK_SECRET = 'unit-test-link-signing-key-0123456789';
    delete process.env.AFTERCARE_PUBLIC_URL;
  });
  afterAll(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('escapes every interpolated value once, and keeps nested html as it is', () => {
    const name = `<img src=x onerror="alert('x')"> & co`;
    const page = html`<p title="${name}">${name}</p>${[html`<b>${1}</b>`, 'a<b']}`;
    expect(page.value).toBe(
      '<p title="&#60;img src=x onerror=&#34;alert(&#39;x&#39;)&#34;&#62; &#38; co">&#60;img src=x onerror=&#34;alert(&#39;x&#39;)&#34;&#62; &#38; co</p><b>1</b>a&#60;b',
    );
  });

  it('picks black or white text with at least 4.5:1 contrast on any brand colour', () => {
    expect(inkOn('#0b7285')).toBe('#ffffff');
    expect(inkOn('#ffd43b')).toBe('#000000');
    for (let value = 0; value <= 0xffffff; value += 0x0f0f0f) {
      const colour = `#${value.toString(16).padStart(6, '0')}`;
      expect(contrastRatio(colour, inkOn(colour)), colour).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('reads url-encoded and multipart forms; refuses other bodies and oversized ones', () => {
    expect(readForm(event({ 'content-type': 'application/x-www-form-urlencoded' }, 'a=1&b=%C3%A9')).get('b')).toBe('é');
    const multipart = Buffer.from(
      '--XyZ\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n' +
        '--XyZ\r\nContent-Disposition: form-data; name="comment"\r\n\r\nnaïve\r\nline\r\n--XyZ--\r\n',
    );
    const fields = readForm(event({ 'Content-Type': 'multipart/form-data; boundary=XyZ' }, multipart));
    expect(fields.get('List-Unsubscribe')).toBe('One-Click');
    expect(fields.get('comment')).toBe('naïve\r\nline');
    expect(() => readForm(event({ 'content-type': 'application/json' }, '{}'))).toThrow(PageError);
    const huge = event({ 'content-type': 'application/x-www-form-urlencoded' }, `a=${'x'.repeat(40_000)}`);
    expect(() => readForm(huge)).toThrow(expect.objectContaining({ page: expect.objectContaining({ status: 413 }) }));
  });

  it('accepts same-origin posts and refuses cross-site ones', () => {
    const cases: [Record<string, string>, boolean][] = [
      [{}, true],
      [{ 'sec-fetch-site': 'same-origin', origin: 'https://pages.example' }, true],
      [{ 'sec-fetch-site': 'none' }, true],
      [{ origin: 'null' }, true],
      [{ origin: 'https://pages.example' }, true],
      [{ origin: 'http://localhost:3000' }, false], // no public URL configured: only this API's own host
      [{ 'sec-fetch-site': 'cross-site' }, false],
      [{ 'sec-fetch-site': 'same-site' }, false],
      [{ origin: 'https://evil.example' }, false],
      [{ 'sec-fetch-site': 'same-origin', origin: 'https://evil.example' }, false],
    ];
    for (const [headers, allowed] of cases) {
      expect(crossSiteReason(event(headers)) === undefined, JSON.stringify(headers)).toBe(allowed);
    }
  });

  it('binds the CSRF token to the link token and its purpose', async () => {
    const token = await csrfToken('link.token', 'survey');
    expect(await isValidCsrf(token, 'link.token', 'survey')).toBe(true);
    expect(await isValidCsrf(token, 'link.token', 'unsubscribe')).toBe(false);
    expect(await isValidCsrf(token, 'other.token', 'survey')).toBe(false);
    expect(await isValidCsrf(undefined, 'link.token', 'survey')).toBe(false);
  });

  it('sends the security headers, with one fresh nonce for the style and the script', () => {
    const first = pageResponse({ status: 200, locale: 'nl', title: 'T', body: html`<h1>T</h1>`, script: 'void 0;' });
    const second = pageResponse({ status: 200, locale: 'nl', title: 'T', body: html`<h1>T</h1>` });
    const headers = first.headers ?? {};
    const nonce = /script-src 'nonce-([^']+)'/.exec(String(headers['content-security-policy']))?.[1];
    expect(first.body).toContain(`<style nonce="${nonce}">`);
    expect(first.body).toContain(`<script nonce="${nonce}">void 0;</script>`);
    expect(second.body).not.toContain(String(nonce));
    expect(second.body).not.toContain('<script');
    expect(headers).toMatchObject({
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
  });

  it('has page copy in every language', () => {
    for (const locale of LOCALES) {
      const strings = pageStrings(locale);
      expect(strings.survey.question.nps('Shop'), locale).toContain('Shop');
      expect(strings.preferences.unsubscribedAll('Shop'), locale).toContain('Shop');
    }
  });
});
