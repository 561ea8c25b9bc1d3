import * as z from 'zod';
import { isVerified } from '../infra/aws/identities.ts';

/**
 * What SES v2 refuses in a SendEmail request, as the API reference documents it; pure, so each rule is tested on its
 * own and the local SES endpoint (ses.ts) only turns a refusal into the HTTP answer the SDK parses.
 * - tags: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_MessageTag.html
 * - headers: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_MessageHeader.html,
 *   https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_Message.html (at most 15) and
 *   https://docs.aws.amazon.com/ses/latest/dg/header-fields.html (fields that may appear only once)
 * - identities, sandbox, quotas: https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html,
 *   https://docs.aws.amazon.com/ses/latest/dg/manage-sending-quotas-errors.html
 */

/** An SES error as the SDK sees it: HTTP status, `x-amzn-ErrorType` (→ `error.name`) and the message. */
export interface SesRefusal {
  status: number;
  type: string;
  message: string;
}

/** The sending account: what is verified, whether it is in the sandbox, and its quotas. */
export interface SesAccount {
  /** Verified identities (addresses or domains; a domain covers its subdomains). */
  identities: readonly string[];
  /** Sandbox: recipients must be verified too, 1 message per second and 200 per 24 hours. */
  sandbox: boolean;
  /** Maximum sending rate (messages per second) with production access. */
  maxSendRate: number;
  /** Messages per rolling 24 hours with production access; unlimited when undefined. */
  max24HourSend?: number;
}

export const SANDBOX_QUOTA = { maxSendRate: 1, max24HourSend: 200 } as const;
export const PRODUCTION_SEND_RATE = 14;

const TAG = /^[A-Za-z0-9_-]{1,256}$/;
const HEADER_NAME = /^[!-9;-~]{1,126}$/;
const HEADER_VALUE = /^[ -~]{1,870}$/;
const MAX_HEADERS = 15;
/** Written by SES itself for a Simple message, so a custom one would make the field appear twice. */
const WRITTEN_BY_SES = ['from', 'to', 'cc', 'subject', 'mime-version', 'content-type', 'content-transfer-encoding'];
/** The documented fields that may appear only once in a message's header section. */
const ONCE_ONLY = new Set(
  (
    'accept-language acceptlanguage archived-at auto-submitted bounces-to comments content-alternative content-base ' +
    'content-class content-description content-disposition content-duration content-id content-language ' +
    'content-length content-location content-md5 content-transfer-encoding content-type date delivered-to ' +
    'disposition-notification-options disposition-notification-to dkim-signature domainkey-signature errors-to from ' +
    'importance in-reply-to keywords list-archive list-help list-id list-owner list-post list-subscribe ' +
    'list-unsubscribe list-unsubscribe-post message-context message-id mime-version organization original-from ' +
    'original-message-id original-recipient original-subject precedence priority references reply-to return-path ' +
    'return-receipt-to sender solicitation sensitivity subject thread-index thread-topic user-agent vbr-info'
  ).split(' '),
);

const pair = z.looseObject({ Name: z.string(), Value: z.string() });
const addresses = z.array(z.string()).optional();
export const sendEmailRequestSchema = z.looseObject({
  FromEmailAddress: z.string().min(1),
  ConfigurationSetName: z.string().optional(),
  Destination: z.looseObject({ ToAddresses: addresses, CcAddresses: addresses, BccAddresses: addresses }).optional(),
  ReplyToAddresses: addresses,
  EmailTags: z.array(pair).optional(),
  Content: z.looseObject({
    Simple: z.looseObject({ Headers: z.array(pair).optional() }).optional(),
  }),
});
export type SendEmailRequest = z.infer<typeof sendEmailRequestSchema>;

/** A parsed request carries no `status`; a refusal always does. */
export const isRefusal = (value: SendEmailRequest | SesRefusal): value is SesRefusal =>
  typeof (value as Partial<SesRefusal>).status === 'number';

const badRequest = (message: string): SesRefusal => ({ status: 400, type: 'BadRequestException', message });

/** Reads a SendEmail body; what does not parse is a BadRequestException, as on AWS. */
export function parseSendEmail(body: string): SendEmailRequest | SesRefusal {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return badRequest('The request body is not valid JSON.');
  }
  const parsed = sendEmailRequestSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return badRequest(`Invalid request: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'malformed'}`);
}

/** Tag and header rules: a refusal for the first rule broken, undefined when SES would accept the content. */
export function checkContent(request: SendEmailRequest): SesRefusal | undefined {
  return checkTags(request.EmailTags ?? []) ?? checkHeaders(request);
}

/** Every tag's name, then its value, in order. */
function checkTags(tags: NonNullable<SendEmailRequest['EmailTags']>): SesRefusal | undefined {
  for (const [index, tag] of tags.entries()) {
    if (!TAG.test(tag.Name)) return badRequest(`Invalid tag name <${tag.Name}> at emailTags.${index + 1}: ${TAG_RULE}`);
    if (!TAG.test(tag.Value))
      return badRequest(`Invalid tag value <${tag.Value}> at emailTags.${index + 1}: ${TAG_RULE}`);
  }
  return undefined;
}

/** The header count, then each header's name, value and repetition (Reply-To counts when addresses are set). */
function checkHeaders(request: SendEmailRequest): SesRefusal | undefined {
  const headers = request.Content.Simple?.Headers ?? [];
  if (headers.length > MAX_HEADERS)
    return badRequest(`Value at 'content.simple.headers' failed to satisfy constraint: at most ${MAX_HEADERS} items`);
  const seen = new Set<string>(WRITTEN_BY_SES);
  if (request.ReplyToAddresses?.length) seen.add('reply-to');
  for (const [index, header] of headers.entries()) {
    const refusal = checkHeader(header, index, seen);
    if (refusal) return refusal;
    seen.add(header.Name.toLowerCase());
  }
  return undefined;
}

type Header = NonNullable<NonNullable<SendEmailRequest['Content']['Simple']>['Headers']>[number];

/** One header: its name, its value, then whether it repeats one that SES allows once. */
function checkHeader(header: Header, index: number, seen: ReadonlySet<string>): SesRefusal | undefined {
  const at = `content.simple.headers.${index + 1}.member`;
  if (!HEADER_NAME.test(header.Name))
    return badRequest(`Value at '${at}.name' failed to satisfy constraint: printable ASCII except ':', 1-126`);
  if (!HEADER_VALUE.test(header.Value))
    return badRequest(`Value at '${at}.value' failed to satisfy constraint: printable ASCII, 1-870 characters`);
  const name = header.Name.toLowerCase();
  if (seen.has(name) && (ONCE_ONLY.has(name) || WRITTEN_BY_SES.includes(name)))
    return badRequest(`Header ${header.Name} can't appear more than once in the header section of a message.`);
  return undefined;
}

const TAG_RULE = "only ASCII letters, numbers, '_' and '-' are allowed, 1-256 characters.";

/** The sender (and, in the sandbox, every recipient) must be a verified identity: otherwise MessageRejected. */
export function checkIdentities(request: SendEmailRequest, account: SesAccount): SesRefusal | undefined {
  const destination = request.Destination ?? {};
  const recipients = [
    ...(destination.ToAddresses ?? []),
    ...(destination.CcAddresses ?? []),
    ...(destination.BccAddresses ?? []),
  ];
  const checked = [request.FromEmailAddress, ...(account.sandbox ? recipients : [])];
  const failed = checked.filter((address) => !isVerified(address, account.identities));
  if (failed.length === 0) return undefined;
  return {
    status: 400,
    type: 'MessageRejected',
    message: `Email address is not verified. The following identities failed the check in region US-EAST-1: ${failed.join(', ')}`,
  };
}

/**
 * The account's sending quotas on the virtual clock: the maximum sending rate over the last second and the
 * 24-hour quota. Only accepted messages count.
 */
export class SendQuota {
  private accepted: number[] = [];

  constructor(private readonly account: SesAccount) {}

  /** Admits one message at `now` (virtual ms), or answers as SES does over a quota. */
  admit(now: number): SesRefusal | undefined {
    const rate = this.account.sandbox ? SANDBOX_QUOTA.maxSendRate : this.account.maxSendRate;
    const daily = this.account.sandbox ? SANDBOX_QUOTA.max24HourSend : this.account.max24HourSend;
    const dayAgo = now - 86_400_000;
    while (this.accepted.length > 0 && (this.accepted[0] ?? 0) <= dayAgo) this.accepted.shift();
    if (daily !== undefined && this.accepted.length >= daily)
      return { status: 429, type: 'TooManyRequestsException', message: 'Daily message quota exceeded.' };
    let lastSecond = 0;
    for (let i = this.accepted.length - 1; i >= 0 && (this.accepted[i] ?? 0) > now - 1000; i -= 1) lastSecond += 1;
    if (lastSecond >= rate)
      return { status: 429, type: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' };
    this.accepted.push(now);
    return undefined;
  }
}
