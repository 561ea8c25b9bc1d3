import { SendEmailCommand } from '@aws-sdk/client-sesv2';
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

/** SES refused this message for good (bad address, unverified sender, paused account): recorded, not retried. */
export class PermanentSendError extends Error {
  override name = 'Aftercare.SendRejected';
}

const THROTTLE = new Set(['TooManyRequestsException', 'LimitExceededException', 'Throttling', 'ThrottlingException']);
const PERMANENT = new Set([
  'MessageRejected',
  'BadRequestException',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'NotFoundException',
]);

const tagValue = (value: string) => value.replace(/[^A-Za-z0-9_.@-]/g, '_').slice(0, 256) || '_';

/** Sends one email through SES v2 with the configuration set (events: bounces, complaints, deliveries). */
export async function sendEmail(email: OutgoingEmail): Promise<string> {
  try {
    const result = await sesClient().send(
      new SendEmailCommand({
        FromEmailAddress: email.from,
        ...(email.replyTo ? { ReplyToAddresses: [email.replyTo] } : {}),
        Destination: { ToAddresses: [email.to] },
        ConfigurationSetName: environment().AFTERCARE_CONFIGURATION_SET,
        EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({
          Name: tagValue(Name),
          Value: tagValue(Value),
        })),
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
            Headers: email.headers.map(({ name, value }) => ({ Name: name, Value: value })),
          },
        },
      }),
    );
    if (!result.MessageId) throw new Error('SES returned no MessageId');
    return result.MessageId;
  } catch (error) {
    const name = (error as Error).name;
    const message = (error as Error).message ?? '';
    if (THROTTLE.has(name) || /maximum sending rate exceeded/i.test(message)) throw new ThrottledError(message);
    if (PERMANENT.has(name)) throw new PermanentSendError(`${name}: ${message}`);
    throw error;
  }
}

/** Header values never carry a line break (no header injection), whatever an order contained. */
export function headerSafe(value: string): string {
  return value
    .replace(/[\r\n]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
