import { createHash } from 'node:crypto';
import { SendEmailCommand, type SendEmailCommandOutput } from '@aws-sdk/client-sesv2';
import { sesClient } from './clients.ts';
import { environment } from './env.ts';

export interface OutgoingEmail {
  from: string;
  replyTo?: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: { name: string; value: string }[];
  tags: Record<string, string>;
}

/** SES said slow down: the workflow retries the step with backoff (its Retry matches this name). */
export class ThrottledError extends Error {
  override name = 'Aftercare.Throttled';
}

/** SES refused this message for good (bad address, paused account): recorded, not retried. */
export class PermanentSendError extends Error {
  override name = 'Aftercare.SendRejected';
}

/**
 * An identity is not verified yet — the sender (a domain whose DKIM records are still propagating) or, in the SES
 * sandbox, the recipient: the step is postponed and tried again, so the email goes out once it is verified.
 */
export class IdentityNotVerifiedError extends Error {
  override name = 'Aftercare.IdentityNotVerified';
}

/** The request left but no answer came back (connection lost, timeout): SES may have sent it. Never retried. */
export class SendOutcomeUnknownError extends Error {
  override name = 'Aftercare.SendOutcomeUnknown';
}

const THROTTLE = new Set(['TooManyRequestsException', 'LimitExceededException', 'Throttling', 'ThrottlingException']);
const PERMANENT = new Set([
  'MessageRejected',
  'BadRequestException',
  'AccountSuspendedException',
  'SendingPausedException',
  'NotFoundException',
]);
/** Connection errors raised before a request could reach SES: nothing was sent, so a retry is safe. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

const TAG = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * A message-tag name or value as SES allows it (API_MessageTag: only A-Z, a-z, 0-9, _ and -, at most 256). An
 * allowed value is kept as it is; any other is made allowed (`_` for each other character) and given 8 hex digits
 * of its SHA-256, so it stays the same for the same input and never collides with another value or an allowed one.
 */
export function messageTagValue(value: string): string {
  if (TAG.test(value)) return value;
  const digest = createHash('sha256').update(value).digest('hex').slice(0, 8);
  return `${value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256 - 9) || '_'}-${digest}`;
}

const PRINTABLE_ASCII = /^[ -~]*$/;
const HEADER_VALUE_MAX = 870;

/**
 * A custom header value as SES allows it (API_MessageHeader: printable ASCII, at most 870 characters): printable
 * ASCII is sent as it is; anything else as RFC 2047 encoded words (UTF-8, base64, each ≤ 75 characters), which
 * mail clients decode back to the original text.
 */
export function mimeHeaderValue(value: string): string {
  if (PRINTABLE_ASCII.test(value)) return value.slice(0, HEADER_VALUE_MAX);
  const chunks: string[] = [''];
  for (const char of value) {
    const last = chunks.length - 1;
    if (Buffer.byteLength((chunks[last] ?? '') + char) > 45) chunks.push(char);
    else chunks[last] += char;
  }
  let encoded = '';
  for (const chunk of chunks) {
    const word = `=?UTF-8?B?${Buffer.from(chunk).toString('base64')}?=`;
    if (encoded.length + word.length + 1 > HEADER_VALUE_MAX) break;
    encoded = encoded ? `${encoded} ${word}` : word;
  }
  return encoded;
}

/** Sends one email through SES v2 with the configuration set (events: bounces, complaints, deliveries). */
export async function sendEmail(email: OutgoingEmail): Promise<string> {
  let result: SendEmailCommandOutput;
  try {
    result = await sesClient().send(
      new SendEmailCommand({
        FromEmailAddress: email.from,
        ...(email.replyTo ? { ReplyToAddresses: [email.replyTo] } : {}),
        Destination: { ToAddresses: [email.to] },
        ConfigurationSetName: environment().AFTERCARE_CONFIGURATION_SET,
        EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({
          Name: messageTagValue(Name),
          Value: messageTagValue(Value),
        })),
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
            Headers: email.headers.map(({ name, value }) => ({ Name: name, Value: mimeHeaderValue(value) })),
          },
        },
      }),
    );
  } catch (error) {
    throw classify(error);
  }
  // An answer without the id: SES may have taken the message, and nothing could follow its events.
  if (!result.MessageId) throw new SendOutcomeUnknownError('SES answered without a MessageId');
  return result.MessageId;
}

/** What an SES failure means for the step: slow down, wait for verification, give up, retry, or unknown. */
function classify(error: unknown): Error {
  const failure = error as Error & { $metadata?: { httpStatusCode?: number }; code?: string };
  const name = failure.name;
  // SES quotes the unverified addresses: kept out of the logs.
  const message = (failure.message ?? '').replace(/[^\s<>()"',;:]+@[^\s<>()"',;:]+/g, '<address>');
  if (failure.$metadata?.httpStatusCode === undefined) {
    // No answer from SES. Unless the connection never opened, the message may have been accepted.
    if (failure.code && NOT_SENT.has(failure.code)) return failure;
    return new SendOutcomeUnknownError(`${name}: ${message}`);
  }
  if (THROTTLE.has(name) || /maximum sending rate exceeded/i.test(message)) return new ThrottledError(message);
  if ((name === 'MessageRejected' && /not verified/i.test(message)) || name === 'MailFromDomainNotVerifiedException')
    return new IdentityNotVerifiedError(`${name}: ${message}`);
  if (PERMANENT.has(name)) return new PermanentSendError(`${name}: ${message}`);
  return failure;
}

/** Header values never carry a line break (no header injection), whatever an order contained. */
export function headerSafe(value: string): string {
  return value
    .replace(/[\r\n]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
