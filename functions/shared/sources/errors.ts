/**
 * The two ways a webhook is refused. Both messages are shown to the caller (middy's http-error-handler exposes
 * errors below 500), so they name headers and field paths only — never a secret, a value or personal data.
 */

/** The request cannot be shown to come from the platform: missing, malformed or wrong signature, or a replay. */
export class SignatureError extends Error {
  override name = 'SignatureError';
  readonly statusCode = 401;
  readonly expose = true;
}

/** The request is signed but its body or headers do not fit, e.g. "line_items.0.price: expected a decimal amount". */
export class PayloadError extends Error {
  override name = 'PayloadError';
  readonly statusCode = 400;
  readonly expose = true;
}
