import { createServer, request as httpRequest, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { close, listen } from './dynamodb.ts';

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
}

/**
 * aws-ses-v2-local (the SES v2 API and its inbox UI, `GET /store`) behind a pass-through front on the inbox port.
 * The front adds what a configuration set does on AWS — Send and Delivery events to the event handler — and lets
 * tests inject what SES does under load (throttling) or to bad addresses (bounces, complaints).
 */
export class LocalSes {
  private backend: Server | undefined;
  private front: Server | undefined;
  private backendPort = 0;
  private throttleNext = 0;
  private listener: ((event: SesEvent) => Promise<void>) | undefined;
  private pending = new Set<Promise<void>>();
  endpoint = '';
  sendCalls = 0;

  constructor(private readonly options: { port?: number; host?: string }) {}

  async start(): Promise<void> {
    const server = (require('aws-ses-v2-local') as { default: (c: { port: number; host: string }) => Promise<Server> })
      .default;
    this.backend = await server({ port: 0, host: '127.0.0.1' });
    this.backendPort = (this.backend.address() as import('node:net').AddressInfo).port;
    this.front = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const isSend = request.method === 'POST' && request.url === '/v2/email/outbound-emails';
        if (isSend) this.sendCalls += 1;
        if (isSend && this.throttleNext > 0) {
          this.throttleNext -= 1;
          response.writeHead(429, {
            'content-type': 'application/json',
            'x-amzn-errortype': 'TooManyRequestsException',
          });
          response.end(JSON.stringify({ message: 'Maximum sending rate exceeded.' }));
          return;
        }
        const upstream = httpRequest(
          {
            host: '127.0.0.1',
            port: this.backendPort,
            method: request.method,
            path: request.url,
            headers: request.headers,
          },
          (reply) => {
            const parts: Buffer[] = [];
            reply.on('data', (chunk: Buffer) => parts.push(chunk));
            reply.on('end', () => {
              const body = Buffer.concat(parts);
              response.writeHead(reply.statusCode ?? 500, reply.headers);
              response.end(body);
              if (isSend && reply.statusCode === 200) this.afterSend(Buffer.concat(chunks), body);
            });
          },
        );
        upstream.on('error', () => {
          response.writeHead(502);
          response.end();
        });
        upstream.end(Buffer.concat(chunks));
      });
    });
    const port = await listen(this.front, this.options.port ?? 0, this.options.host ?? '127.0.0.1');
    this.endpoint = `http://127.0.0.1:${port}`;
  }

  /** The configuration set's event destination (the ses-events function). */
  onEvent(listener: (event: SesEvent) => Promise<void>): void {
    this.listener = listener;
  }

  /** The next `count` SendEmail calls fail with TooManyRequestsException, as SES does over the sending rate. */
  throttle(count: number): void {
    this.throttleNext = count;
  }

  /** Emits an SES event, as AWS does for a bounce or complaint reported by the receiving side. */
  async emit(event: SesEvent): Promise<void> {
    await this.listener?.(event);
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

  private afterSend(requestBody: Buffer, responseBody: Buffer): void {
    if (!this.listener) return;
    let request: { Destination?: { ToAddresses?: string[] }; EmailTags?: { Name: string; Value: string }[] };
    let messageId: string;
    try {
      request = JSON.parse(requestBody.toString('utf8'));
      messageId = (JSON.parse(responseBody.toString('utf8')) as { MessageId: string }).MessageId;
    } catch {
      return;
    }
    const destination = request.Destination?.ToAddresses ?? [];
    const tags = Object.fromEntries((request.EmailTags ?? []).map((tag) => [tag.Name, [tag.Value]]));
    const mail = { messageId, timestamp: new Date().toISOString(), destination, tags };
    // As on AWS, the delivery event comes a little after the send was accepted (there: seconds).
    const delivery = new Promise((resolve) => setTimeout(resolve, 100))
      .then(() => this.listener?.({ eventType: 'Delivery', mail, delivery: { recipients: destination } }))
      .catch(() => undefined)
      .finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }
}
