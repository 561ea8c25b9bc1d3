import { createHmac, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { configuredPublicUrl } from '../env.ts';
import { lowerCaseHeaders } from '../http.ts';
import { linkSigningKey } from '../secrets.ts';
import type { Purpose } from '../tokens.ts';
import { PageError } from './errors.ts';

/**
 * Cross-site posting protection for the customer pages' forms: a CSRF token (HMAC of the link token and its
 * purpose, so only a page this service rendered for that link can post) plus the browser's own Origin and
 * Sec-Fetch-Site headers when present.
 */
export async function csrfToken(linkToken: string, purpose: Purpose): Promise<string> {
  return createHmac('sha256', await linkSigningKey())
    .update(`csrf\n${purpose}\n${linkToken}`)
    .digest('base64url');
}

export async function isValidCsrf(given: string | undefined, linkToken: string, purpose: Purpose): Promise<boolean> {
  if (!given) return false;
  const expected = Buffer.from(await csrfToken(linkToken, purpose));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * Why a form post looks cross-site, or undefined when it does not. Sec-Fetch-Site must be same-origin or none;
 * a real Origin must be this service's. `Origin: null` is let through to the CSRF check: browsers send it for
 * same-origin posts from a page with `Referrer-Policy: no-referrer` when they predate Sec-Fetch-Site.
 */
export function crossSiteReason(event: APIGatewayProxyEventV2): string | undefined {
  const headers = lowerCaseHeaders(event);
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `sec-fetch-site ${site}`;
  const origin = headers.origin;
  if (origin === undefined || origin === 'null') return undefined;
  return allowedHosts(event, headers.host).has(hostOf(origin) ?? '') ? undefined : 'foreign origin';
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/** This API's own host names: as requested, as API Gateway saw it, and the public URL when one is configured. */
function allowedHosts(event: APIGatewayProxyEventV2, host: string | undefined): Set<string> {
  // On AWS the page functions get no AFTERCARE_PUBLIC_URL (the API would depend on itself): no default localhost.
  const publicUrl = configuredPublicUrl();
  const hosts = [publicUrl && hostOf(publicUrl), event.requestContext?.domainName, host];
  return new Set(hosts.filter((value): value is string => Boolean(value)).map((value) => value.toLowerCase()));
}

/** A form post must come from our own page for this link: same-site by the browser's word, with our CSRF token. */
export async function assertPostedFromOurPage(
  event: APIGatewayProxyEventV2,
  fields: URLSearchParams,
  linkToken: string,
  purpose: Purpose,
): Promise<void> {
  const reason =
    crossSiteReason(event) ??
    ((await isValidCsrf(fields.get('csrf') ?? undefined, linkToken, purpose)) ? undefined : 'csrf token');
  if (reason) throw new PageError(403, 'crossSite', reason);
}
