import { type ErrorCode, fieldOf } from '../http.ts';

/**
 * The two ways a webhook is refused. Both messages are shown to the caller (middy's http-error-handler exposes
 * errors below 500), so they name headers and field paths only — never a secret, a value or personal data.
 */

/** The request cannot be shown to come from the platform: missing, malformed or wrong signature, or a replay. */
export class SignatureError extends Error {
  override name = 'SignatureError';
  readonly statusCode = 401;
  readonly expose = true;
  readonly code: ErrorCode = 'invalid-signature';
  /** The header or field the message names first ("x-shopify-shop-domain"), if any. */
  readonly field = fieldOf(this.message);
}

/** The request is signed but its body or headers do not fit, e.g. "line_items.0.price: expected a decimal amount". */
export class PayloadError extends Error {
  override name = 'PayloadError';
  readonly statusCode = 400;
  readonly expose = true;
  readonly code: ErrorCode = 'invalid-request';
  /** The field or header the message names first ("line_items.0.price"), for the answer's `field`. */
  readonly field = fieldOf(this.message);
}
