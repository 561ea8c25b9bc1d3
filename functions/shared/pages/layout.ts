import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { StoreConfig } from '../config/schema.ts';
import type { Locale } from '../domain/vocabulary.ts';
import { Html, html } from './html.ts';
import { pageStrings } from './strings/index.ts';
import { pageStyles } from './styles.ts';

/** What a page shows of the store: its name and colour, and where to write with questions. */
export interface Brand {
  name: string;
  color: string;
  supportEmail?: string;
}

export interface Page {
  status: number;
  locale: Locale;
  title: string;
  /** Absent when no store is known (a rejected link): a neutral page. */
  brand?: Brand;
  body: Html;
  /** Inline script (constant code, no data): allowed by this response's CSP nonce. */
  script?: string;
}

const NEUTRAL = '#374151';

export function brandOf(store: StoreConfig): Brand {
  return { name: store.name, color: store.brandColor, supportEmail: store.supportEmail };
}

/** Security headers of every customer page: nothing loads but this response's own style and script. */
export function pageHeaders(nonce: string): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': [
      "default-src 'none'",
      `style-src 'nonce-${nonce}'`,
      `script-src 'nonce-${nonce}'`,
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'x-robots-tag': 'noindex',
    'cache-control': 'no-store',
  };
}

export function pageResponse(page: Page): APIGatewayProxyStructuredResultV2 {
  const nonce = randomBytes(16).toString('base64');
  const strings = pageStrings(page.locale);
  const support = page.brand?.supportEmail;
  const document = html`<!doctype html>
<html lang="${page.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${page.brand ? `${page.title} · ${page.brand.name}` : page.title}</title>
<style nonce="${nonce}">${rawText(pageStyles(page.brand?.color ?? NEUTRAL))}</style>
</head>
<body>
${page.brand ? html`<header class="brand"><p>${page.brand.name}</p></header>` : ''}
<main>
${page.body}
</main>
${support ? html`<footer><p>${strings.supportLine} <a href="mailto:${support}">${support}</a></p></footer>` : ''}
${page.script ? html`<script nonce="${nonce}">${rawText(page.script)}</script>` : ''}
</body>
</html>
`;
  return { statusCode: page.status, headers: pageHeaders(nonce), body: document.value };
}

/** Trusted constant text for <style>/<script> (raw text elements: escaping would corrupt it). */
function rawText(code: string): Html {
  // `</` would end the element early.
  if (code.includes('</')) throw new Error('inline style or script must not contain "</"');
  return new Html(code);
}
