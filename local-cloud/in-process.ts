import { Agent, type ClientRequestArgs, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type Duplex, duplexPair } from 'node:stream';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SdkClient } from '../functions/shared/clients.ts';

/**
 * The local cloud's own hops (SDK → emulator, proxy → dynalite, proxy → aws-ses-v2-local) without TCP. Three paths:
 * - `direct` (default): an emulator that registers a request function (`serveDirect`) is called with the request's
 *   method, path, headers and body, and its answer becomes the SDK's HttpResponse — no HTTP bytes at all; the SDK
 *   still serialises and parses exactly as against AWS.
 * - `http` (`AFTERCARE_LOCAL_HTTP=1`): the request still travels as HTTP bytes that the emulator's server parses,
 *   over an in-memory stream pair instead of a socket.
 * - `tcp` (`AFTERCARE_LOCAL_TCP=1`): sockets and SigV4 signatures, as before any of this (to measure the difference).
 * Ports not registered here (anything real) go over TCP as usual.
 */
export type LocalPath = 'direct' | 'http' | 'tcp';
export const localPath: LocalPath =
  process.env.AFTERCARE_LOCAL_TCP === '1' ? 'tcp' : process.env.AFTERCARE_LOCAL_HTTP === '1' ? 'http' : 'direct';

/** A request as an emulator's request function receives it: header names in lower case, as Node's server has them. */
export interface LocalRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}
export interface LocalReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}
/** `undefined`: the connection dropped without a reply (the caller sees a reset, as over TCP). */
export type LocalService = (request: LocalRequest) => Promise<LocalReply | undefined>;

const servers = new Map<number, Server>();
const services = new Map<number, { server: Server; service: LocalService; inFlight: Set<(error: Error) => void> }>();

export function serveInProcess(port: number, server: Server): void {
  servers.set(port, server);
  server.once('close', () => servers.get(port) === server && servers.delete(port));
}

/** Registers `server`'s request function for in-process callers on the direct path (no-op on the others). */
export function serveDirect(server: Server, service: LocalService): void {
  if (localPath !== 'direct') return;
  services.set((server.address() as AddressInfo).port, { server, service, inFlight: new Set() });
}

/** A closing server's direct callers lose their connection, as `closeAllConnections` resets its sockets. */
export function stopServing(server: Server): void {
  for (const [port, entry] of services) {
    if (entry.server !== server) continue;
    services.delete(port);
    for (const reset of entry.inFlight) reset(connectionReset());
  }
}

/** What Node's HTTP client reports for a connection closed without a reply (and the SDK retries as transient). */
function connectionReset(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', name: 'TimeoutError' });
}

/** Calls the service registered on `port`, as the direct path does (undefined when none is registered). */
export function callDirect(port: number, request: LocalRequest): Promise<LocalReply | undefined> | undefined {
  const entry = services.get(port);
  if (!entry) return undefined;
  return new Promise((resolve, reject) => {
    entry.inFlight.add(reject);
    entry
      .service(request)
      .then(resolve, reject)
      .finally(() => entry.inFlight.delete(reject));
  });
}

/**
 * An http.Server request listener around a request function (the public ports, and the `http`/`tcp` paths): reads
 * the whole body (at most `maxBytes`, else answers `tooLarge`), answers; an aborted request is simply dropped.
 */
export function httpListener(
  service: LocalService,
  limit?: { maxBytes: number; tooLarge: LocalReply },
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('error', () => response.destroy()); // the client went away: nothing to answer
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (!limit || size <= limit.maxBytes) chunks.push(chunk);
    });
    request.on('end', () => {
      const reply =
        limit && size > limit.maxBytes
          ? Promise.resolve(limit.tooLarge)
          : service({
              method: request.method ?? 'GET',
              path: request.url ?? '/',
              headers: flatHeaders(request.headers),
              body: Buffer.concat(chunks),
            });
      reply.then(
        (answer) => {
          if (response.headersSent || response.destroyed) return;
          if (!answer) return void response.socket?.destroy();
          response.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
          response.end(answer.body);
        },
        () => response.socket?.destroy(),
      );
    });
  };
}

function flatHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

/** What Node's HTTP client and server call on a socket beyond the Duplex interface (no-ops without one). */
const SOCKET_METHODS = { setNoDelay() {}, setKeepAlive() {}, setTimeout() {}, ref() {}, unref() {} };

class InProcessAgent extends Agent {
  override createConnection(options: ClientRequestArgs, callback?: (error: Error | null, stream: Duplex) => void) {
    const server = servers.get(Number(options.port));
    if (!server || localPath === 'tcp') return super.createConnection(options, callback);
    const [client, served] = duplexPair();
    // A server that drops the connection (a lost reply) must be seen as a reset by the caller, as over TCP.
    served.once('close', () => client.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
    client.once('close', () => served.destroy());
    server.emit('connection', Object.assign(served, SOCKET_METHODS, { remoteAddress: '127.0.0.1' }));
    return Object.assign(client, SOCKET_METHODS) as unknown as Socket;
  }
}

/** One agent for every local hop; a stream pair per request (cheap without a socket). */
export const inProcessAgent = new InProcessAgent({ keepAlive: false });

/** The parts of smithy's HttpRequest / HttpHandler that the SDK hands a request handler. */
interface SdkHttpRequest {
  method: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}
interface SdkHandlerOptions {
  abortSignal?: AbortSignal;
  requestTimeout?: number;
}
interface SdkHandler {
  handle(request: SdkHttpRequest, options?: SdkHandlerOptions): Promise<{ response: unknown }>;
  destroy?(): void;
  updateHttpClientConfig?(key: never, value: never): void;
  httpHandlerConfigs?(): object;
}

/**
 * The SDK's request handler on the direct path: hands the request to the emulator's request function and turns its
 * answer into the SDK's HttpResponse (a plain object of that shape, body as bytes, as smithy's collectBody takes it).
 * Any port without one goes to the SDK's own Node handler on the in-process agent. An abort signal and a per-call
 * requestTimeout behave as in @smithy/node-http-handler (AbortError; TimeoutError ETIMEDOUT); a dropped reply is a
 * TimeoutError "socket hang up" (ECONNRESET), as that handler reports a reset.
 */
class LocalRequestHandler implements SdkHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  constructor(private readonly fallback: SdkHandler) {}

  async handle(request: SdkHttpRequest, options: SdkHandlerOptions = {}): Promise<{ response: unknown }> {
    const port = request.port;
    if (port === undefined || !services.has(port)) return this.fallback.handle(request, options);
    const local = callDirect(port, await toLocal(request));
    const { abortSignal, requestTimeout } = options;
    if (abortSignal?.aborted) throw abortError(abortSignal);
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const interrupted = new Promise<never>((_resolve, reject) => {
      if (requestTimeout)
        timer = setTimeout(
          () =>
            reject(
              Object.assign(new Error(`a request has exceeded the configured ${requestTimeout} ms requestTimeout.`), {
                name: 'TimeoutError',
                code: 'ETIMEDOUT',
              }),
            ),
          requestTimeout,
        );
      onAbort = () => reject(abortError(abortSignal));
      abortSignal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const reply = await Promise.race([local, interrupted]);
      if (!reply) throw connectionReset();
      return { response: { statusCode: reply.status, headers: reply.headers, body: new Uint8Array(reply.body) } };
    } finally {
      clearTimeout(timer);
      if (onAbort) abortSignal?.removeEventListener('abort', onAbort);
    }
  }

  updateHttpClientConfig(key: never, value: never): void {
    this.fallback.updateHttpClientConfig?.(key, value);
  }

  httpHandlerConfigs(): object {
    return this.fallback.httpHandlerConfigs?.() ?? {};
  }

  destroy(): void {
    this.fallback.destroy?.();
  }
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return Object.assign(new Error(reason && !(reason instanceof Error) ? String(reason) : 'Request aborted'), {
    name: 'AbortError',
    ...(reason instanceof Error ? { cause: reason } : {}),
  });
}

async function toLocal(request: SdkHttpRequest): Promise<LocalRequest> {
  const headers: Record<string, string> = { host: `${request.hostname}:${request.port}` };
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {}))
    for (const each of Array.isArray(value) ? value : [value ?? '']) query.append(name, each);
  const search = query.size > 0 ? `?${query}` : '';
  return { method: request.method, path: request.path + search, headers, body: await bodyBytes(request.body) };
}

async function bodyBytes(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  // A view, not Buffer.from(body): that calls valueOf, which the SDK's JSON body answers by decoding itself to text.
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/**
 * Points a client at the local cloud without a socket or a signature: the local request handler (above) in front of
 * the SDK's own Node handler on the in-process agent, and a fixed SigV4-shaped Authorization header instead of
 * signing — nothing local checks a signature (IAM is decided by the caller's role), dynalite only checks its shape.
 */
export function inProcessClient(client: SdkClient): void {
  if (localPath === 'tcp') return;
  // A new handler of the SDK's own class (set at creation, before the first send resolves the handler).
  const sdkHandler = client.config.requestHandler as unknown as { constructor: new (options: object) => SdkHandler };
  const fallback = new sdkHandler.constructor({ httpAgent: inProcessAgent });
  Object.assign(client.config, { requestHandler: new LocalRequestHandler(fallback) });
  // The three clients share one middleware stack type; DynamoDB's names it.
  const stack = client.middlewareStack as DynamoDBClient['middlewareStack'];
  stack.remove('httpSigningMiddleware');
  stack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) Object.assign(request.headers, UNSIGNED);
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'localUnsignedMiddleware' },
  );
}

const UNSIGNED = {
  'x-amz-date': '20260101T000000Z',
  authorization:
    'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/local/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
};
