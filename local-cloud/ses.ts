import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { close, listen } from './dynamodb.ts';
import {
  httpListener,
  inProcessAgent,
  type LocalReply,
  type LocalRequest,
  serveDirect,
  serveInProcess,
} from './in-process.ts';
import { PerSecond } from './observations.ts';
import {
  checkContent,
  checkIdentities,
  isRefusal,
  parseSendEmail,
  type SendEmailRequest,
  SendQuota,
  type SesAccount,
  type SesRefusal,
} from './ses-rules.ts';

const require = createRequire(import.meta.url);

export interface InboxEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
  at: number;
}

/** What an SES configuration set's event destination delivers (the SES event record format). */
export interface SesEvent {
  eventType: 'Send' | 'Delivery' | 'Bounce' | 'Complaint' | 'Reject' | 'Rendering Failure';
  mail: { messageId: string; timestamp: string; destination: string[]; tags?: Record<string, string[]> };
  bounce?: { bounceType: 'Permanent' | 'Transient' | 'Undetermined'; bouncedRecipients: { emailAddress: string }[] };
  complaint?: { complainedRecipients: { emailAddress: string }[] };
  delivery?: { recipients: string[] };
  send?: Record<string, never>;
}

/** An event's type as a configuration set's `MatchingEventTypes` names it. */
const MATCHING_EVENT_TYPE: Record<SesEvent['eventType'], string> = {
  Send: 'send',
  Delivery: 'delivery',
  Bounce: 'bounce',
  Complaint: 'complaint',
  Reject: 'reject',
  'Rendering Failure': 'renderingFailure',
};

export interface LocalSesOptions {
  port?: number;
  host?: string;
  /** The sending account the front enforces (verified identities, sandbox, quotas). */
  account: SesAccount & { configurationSets: readonly string[] };
  /** The virtual clock (quotas and event timestamps). */
  now: () => number;
  /**
   * The event types the configuration set publishes (its event destination's `MatchingEventTypes`, as synthesised:
   * `send`, `delivery`, `bounce`, `complaint`, `reject`, `renderingFailure`); by default every type.
   */
  eventTypes?: readonly string[];
  /** Publish Delivery events (on by default). */
  deliveryEvents?: boolean;
  /** Keep accepted emails' bodies in the inbox (on by default; ses-account.ts `inboxBodies`). */
  inboxBodies?: boolean;
}

/** aws-ses-v2-local's inbox (the module the server saves into), to drop bodies nobody will read. */
const inboxStore = () =>
  (
    require('aws-ses-v2-local/dist/store.js') as { getStoreReadonly: () => { emails: InboxEmail[] } }
  ).getStoreReadonly();

/**
 * aws-ses-v2-local (the SES v2 API and its inbox UI, `GET /store`) behind a front on the inbox port. The front
 * refuses what SES refuses (ses-rules.ts: tags, headers, unverified identities, the sandbox, the sending quotas on
 * the virtual clock), adds what a configuration set does on AWS — Send and Delivery events to the event handler —
 * and lets tests inject what SES does under load (throttling), to bad addresses (bounces, complaints) or on a
 * flaky network (the reply to an accepted message lost).
 */
export class LocalSes {
  private backend: Server | undefined;
  private front: Server | undefined;
  private backendPort = 0;
  private throttleNext = 0;
  private dropReplies: { count: number; to: string | undefined } = { count: 0, to: undefined };
  private readonly quota: SendQuota;
  private readonly identities: Set<string>;
  private listeners: ((event: SesEvent) => Promise<void>)[] = [];
  private pending = new Set<Promise<void>>();
  endpoint = '';
  sendCalls = 0;
  /** SendEmail calls and accepted messages per virtual second, for benchmarks (bench:capacity); read-only. */
  readonly observed = { calls: new PerSecond(), accepted: new PerSecond() };

  /** The sending account it enforces (sandbox, rate), for benchmarks that compare with it. */
  get account(): LocalSesOptions['account'] {
    return this.options.account;
  }

  constructor(private readonly options: LocalSesOptions) {
    this.quota = new SendQuota(options.account);
    this.identities = new Set(options.account.identities);
  }

  async start(): Promise<void> {
    const server = (require('aws-ses-v2-local') as { default: (c: { port: number; host: string }) => Promise<Server> })
      .default;
    this.backend = await server({ port: 0, host: '127.0.0.1' });
    this.backendPort = (this.backend.address() as import('node:net').AddressInfo).port;
    serveInProcess(this.backendPort, this.backend);
    const front = (request: LocalRequest) => this.handle(request);
    this.front = createServer(httpListener(front));
    const port = await listen(this.front, this.options.port ?? 0, this.options.host ?? '127.0.0.1');
    serveDirect(this.front, front);
    this.endpoint = `http://127.0.0.1:${port}`;
  }

  /**
   * One request to the front (the inbox port's HTTP server and in-process callers alike): SES's refusals, then
   * aws-ses-v2-local's answer (over HTTP bytes in memory), then the configuration set's events; `undefined` when
   * the reply is to be lost.
   */
  async handle(request: LocalRequest): Promise<LocalReply | undefined> {
    const isSend = request.method === 'POST' && request.path === '/v2/email/outbound-emails';
    let send: SendEmailRequest | undefined;
    if (isSend) {
      this.sendCalls += 1;
      this.observed.calls.record(this.options.now());
      const verdict = this.admit(request.body.toString('utf8'));
      if (isRefusal(verdict)) return refuse(verdict);
      send = verdict;
    }
    const answer = await this.upstream(request).catch(() => ({ status: 502, headers: {}, body: Buffer.alloc(0) }));
    if (send && answer.status === 200) {
      this.observed.accepted.record(this.options.now());
      this.accepted(send, answer.body);
      if (this.dropsReplyTo(send)) {
        // SES accepted the message, but its answer never arrives: the caller cannot know it was sent.
        this.dropReplies.count -= 1;
        return undefined;
      }
    }
    return answer;
  }

  private upstream({ method, path, headers, body }: LocalRequest): Promise<LocalReply> {
    return new Promise((resolve, reject) => {
      const call = httpRequest(
        { host: '127.0.0.1', port: this.backendPort, agent: inProcessAgent, method, path, headers },
        (reply) => {
          const parts: Buffer[] = [];
          reply.on('data', (chunk: Buffer) => parts.push(chunk));
          reply.on('error', reject);
          reply.on('end', () => {
            const { 'content-length': _length, 'transfer-encoding': _chunked, ...replyHeaders } = reply.headers;
            resolve({
              status: reply.statusCode ?? 500,
              headers: replyHeaders as Record<string, string>,
              body: Buffer.concat(parts),
            });
          });
        },
      );
      call.on('error', reject);
      call.end(body);
    });
  }

  /** Adds a destination of the configuration set's events (the cloud's: the ses-events function; tests: probes). */
  onEvent(listener: (event: SesEvent) => Promise<void>): void {
    this.listeners.push(listener);
  }

  /** The next `count` SendEmail calls fail with TooManyRequestsException, as SES does over the sending rate. */
  throttle(count: number): void {
    this.throttleNext = count;
  }

  /** Verifies an identity (address or domain), as the SES console does once its DNS records or link check out. */
  verify(identity: string): void {
    this.identities.add(identity.toLowerCase());
  }

  /** Takes an identity's verification away (a domain whose DKIM records are not published yet, say). */
  revoke(identity: string): void {
    this.identities.delete(identity.toLowerCase());
  }

  /**
   * The next `count` accepted SendEmail calls (to `to`, when given) lose their reply: the connection drops after
   * SES took the message.
   */
  dropRepliesAfterAccept(count: number, to?: string): void {
    this.dropReplies = { count, to };
  }

  private dropsReplyTo(request: SendEmailRequest): boolean {
    const { count, to } = this.dropReplies;
    return count > 0 && (to === undefined || (request.Destination?.ToAddresses ?? []).includes(to));
  }

  /** Emits an SES event, as AWS does for a bounce or complaint reported by the receiving side. */
  async emit(event: SesEvent): Promise<void> {
    await this.publish(event);
  }

  async inbox(): Promise<InboxEmail[]> {
    const response = await fetch(`${this.endpoint}/store`);
    return ((await response.json()) as { emails: InboxEmail[] }).emails;
  }

  async drained(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  async stop(): Promise<void> {
    await this.drained();
    await Promise.all([close(this.front), close(this.backend)]);
  }

  /** The injected throttle, then SES's own rules in its order: the request, the identities, the quotas. */
  private admit(body: string): SendEmailRequest | SesRefusal {
    if (this.throttleNext > 0) {
      this.throttleNext -= 1;
      return { status: 429, type: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' };
    }
    const request = parseSendEmail(body);
    if (isRefusal(request)) return request;
    const { account } = this.options;
    const set = request.ConfigurationSetName;
    if (set !== undefined && !account.configurationSets.includes(set))
      return { status: 404, type: 'NotFoundException', message: `Configuration set <${set}> does not exist.` };
    return (
      checkContent(request) ??
      checkIdentities(request, { ...account, identities: [...this.identities] }) ??
      this.quota.admit(this.options.now()) ??
      request
    );
  }

  /**
   * What the configuration set publishes for an accepted message: Send at once — before the caller even has the
   * reply, so it may arrive before the step recorded the message, as it can on AWS — and Delivery a little later
   * (there: seconds). A message sent without a configuration set publishes nothing.
   */
  private accepted(request: SendEmailRequest, responseBody: Buffer): void {
    if (this.options.inboxBodies === false) dropBody(responseBody);
    if (this.listeners.length === 0 || !request.ConfigurationSetName) return;
    let messageId: string;
    try {
      messageId = (JSON.parse(responseBody.toString('utf8')) as { MessageId: string }).MessageId;
    } catch {
      return;
    }
    const destination = request.Destination?.ToAddresses ?? [];
    const tags: Record<string, string[]> = {
      'ses:configuration-set': [request.ConfigurationSetName],
      ...Object.fromEntries((request.EmailTags ?? []).map((tag) => [tag.Name, [tag.Value]])),
    };
    const mail = { messageId, timestamp: new Date(this.options.now()).toISOString(), destination, tags };
    // A Send event may arrive before the step has recorded the message, as on AWS (if the set publishes Send).
    this.track(Promise.resolve(), { eventType: 'Send', mail, send: {} });
    if (this.options.deliveryEvents === false) return;
    this.track(new Promise((resolve) => setTimeout(resolve, 100)), {
      eventType: 'Delivery',
      mail,
      delivery: { recipients: destination },
    });
  }

  private async publish(event: SesEvent): Promise<void> {
    if (this.options.eventTypes && !this.options.eventTypes.includes(MATCHING_EVENT_TYPE[event.eventType])) return;
    await Promise.all(this.listeners.map((listener) => listener(event)));
  }

  private track(after: Promise<unknown>, event: SesEvent): void {
    const delivered: Promise<void> = after
      .then(() => this.publish(event))
      .catch(() => undefined)
      .finally(() => this.pending.delete(delivered));
    this.pending.add(delivered);
  }
}

function refuse(refusal: SesRefusal): LocalReply {
  return {
    status: refusal.status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': refusal.type, 'x-amzn-requestid': randomUUID() },
    body: Buffer.from(JSON.stringify({ message: refusal.message })),
  };
}

/** Empties the body of the email the backend has just saved (the last one; ids and headers stay). */
function dropBody(responseBody: Buffer): void {
  const emails = inboxStore().emails;
  let messageId: string | undefined;
  try {
    messageId = (JSON.parse(responseBody.toString('utf8')) as { MessageId?: string }).MessageId;
  } catch {
    return;
  }
  for (let i = emails.length - 1; i >= Math.max(0, emails.length - 8); i -= 1) {
    const email = emails[i];
    if (!email || email.messageId !== messageId) continue;
    email.body = {};
    return;
  }
}
