import { Agent, type ClientRequestArgs, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { type Duplex, duplexPair } from 'node:stream';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SdkClient } from '../functions/shared/clients.ts';

/**
 * The local cloud's own hops (SDK → emulator, proxy → dynalite, proxy → aws-ses-v2-local) without TCP: the request
 * still travels as HTTP bytes that the emulator's server parses, over an in-memory stream pair instead of a socket.
 * Ports not registered here (anything real) go over TCP as usual.
 */
const servers = new Map<number, Server>();
/** AFTERCARE_LOCAL_TCP=1: the old way, sockets and signatures (to measure the difference). */
const overTcp = process.env.AFTERCARE_LOCAL_TCP === '1';

export function serveInProcess(port: number, server: Server): void {
  servers.set(port, server);
  server.once('close', () => servers.get(port) === server && servers.delete(port));
}

/** What Node's HTTP client and server call on a socket beyond the Duplex interface (no-ops without one). */
const SOCKET_METHODS = { setNoDelay() {}, setKeepAlive() {}, setTimeout() {}, ref() {}, unref() {} };

class InProcessAgent extends Agent {
  override createConnection(options: ClientRequestArgs, callback?: (error: Error | null, stream: Duplex) => void) {
    const server = servers.get(Number(options.port));
    if (!server || overTcp) return super.createConnection(options, callback);
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

/**
 * Points a client at the local cloud without a socket or a signature: its own Node handler (timeouts, errors as
 * usual) on the in-process agent, and a fixed SigV4-shaped Authorization header instead of signing — nothing local
 * checks a signature (IAM is decided by the caller's role), and dynalite only checks the header's shape.
 */
export function inProcessClient(client: SdkClient): void {
  if (overTcp) return;
  // A new handler of the SDK's own class (set at creation, before the first send resolves the handler).
  const sdkHandler = client.config.requestHandler as unknown as { constructor: new (options: object) => unknown };
  Object.assign(client.config, { requestHandler: new sdkHandler.constructor({ httpAgent: inProcessAgent }) });
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
