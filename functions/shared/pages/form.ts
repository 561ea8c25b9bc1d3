import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { lowerCaseHeaders, rawBody } from '../http.ts';
import { PageError } from './errors.ts';

/** Forms are small (a score, a comment of at most 2000 characters, a few checkboxes). */
export const MAX_FORM_BYTES = 32 * 1024;

/**
 * The fields of a posted form: application/x-www-form-urlencoded (browsers) or multipart/form-data (some mail
 * clients' RFC 8058 one-click posts). File parts are ignored.
 */
export function readForm(event: APIGatewayProxyEventV2): URLSearchParams {
  const body = rawBody(event);
  if (body.length > MAX_FORM_BYTES) throw new PageError(413, 'tooLarge');
  const type = (lowerCaseHeaders(event)['content-type'] ?? '').toLowerCase();
  if (body.length === 0) return new URLSearchParams();
  if (type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams(body.toString('utf8'));
  const boundary = /^multipart\/form-data\s*;.*boundary="?([^";]+)"?/i.exec(
    lowerCaseHeaders(event)['content-type'] ?? '',
  )?.[1];
  if (boundary) return parseMultipart(body, boundary);
  throw new PageError(415, 'unsupportedForm');
}

function parseMultipart(body: Buffer, boundary: string): URLSearchParams {
  const fields = new URLSearchParams();
  // latin1 keeps every byte as one character, so values can be turned back into UTF-8 bytes exactly.
  for (const part of body.toString('latin1').split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = part.slice(0, split);
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(head)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (!name || /\bfilename=/i.test(disposition)) continue;
    const value = part.slice(split + 4).replace(/\r\n$/, '');
    fields.append(Buffer.from(name, 'latin1').toString('utf8'), Buffer.from(value, 'latin1').toString('utf8'));
  }
  return fields;
}
