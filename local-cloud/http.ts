import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { matchRoute } from '../infra/routes.ts';
import { invoke } from './lambda-runtime.ts';

const MAX_BODY_BYTES = 10 * 1024 * 1024; // API Gateway HTTP API payload limit
const TEXT_TYPES = /^(text\/|application\/(json|x-www-form-urlencoded|xml|[\w.+-]+\+json))/i;

/**
 * The HTTP API locally: the routes of infra/routes.ts, each request handed to the same handler as an API Gateway
 * v2 (payload 2.0) event. `GET /health` answers 200 once the local cloud is ready, with the local cloud's time.
 */
export function createApiServer(options: ServerOptions): Server {
  return createServer((request, response) => {
    void serve(request, response, options).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: 'Internal Server Error' }));
    });
  });
}

interface ServerOptions {
  isReady: () => boolean;
  /** The local cloud's "now" (virtual when accelerated), shown by /health for sample orders. */
  now: () => number;
  extraRoutes?: (request: IncomingMessage, response: ServerResponse) => boolean;
}

async function serve(request: IncomingMessage, response: ServerResponse, options: ServerOptions) {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (request.method === 'GET' && url.pathname === '/health') {
    const ready = options.isReady();
    sendJson(response, ready ? 200 : 503, {
      status: ready ? 'ok' : 'starting',
      now: new Date(options.now()).toISOString(),
    });
    return;
  }
  if (options.extraRoutes?.(request, response)) return;
  const match = matchRoute(request.method ?? 'GET', url.pathname);
  if (!match) return sendJson(response, 404, { message: 'Not Found' });
  const raw = await readBody(request);
  if (!raw) return sendJson(response, 413, { message: 'Request Entity Too Large' });
  const result = (await invoke(match.route.function, apiEvent(request, url, match, raw))) as
    | APIGatewayProxyStructuredResultV2
    | string
    | null;
  writeResult(response, result);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** The request body, or undefined once it passes API Gateway's payload limit. */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Header names lower-cased, repeated headers joined with commas (as API Gateway's payload 2.0 does). */
function flatHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

/** The payload-2.0 event API Gateway would hand the route's function. */
function apiEvent(
  request: IncomingMessage,
  url: URL,
  match: NonNullable<ReturnType<typeof matchRoute>>,
  raw: Buffer,
): APIGatewayProxyEventV2 {
  const headers = flatHeaders(request);
  const isText = TEXT_TYPES.test(headers['content-type'] ?? '');
  const now = new Date();
  const routeKey = `${match.route.method} ${match.route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    ...(raw.length > 0 ? { body: isText ? raw.toString('utf8') : raw.toString('base64') } : {}),
    isBase64Encoded: raw.length > 0 && !isText,
    pathParameters: match.pathParameters,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: match.route.method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
  };
}

/** The function's result as API Gateway answers it: a non-structured result is a 200 with its JSON. */
function writeResult(response: ServerResponse, result: APIGatewayProxyStructuredResultV2 | string | null): void {
  const structured: APIGatewayProxyStructuredResultV2 =
    typeof result === 'object' && result !== null && 'statusCode' in result
      ? result
      : { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
  const responseHeaders: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(structured.headers ?? {})) responseHeaders[name] = String(value);
  if (structured.cookies?.length) responseHeaders['set-cookie'] = structured.cookies;
  response.writeHead(structured.statusCode ?? 200, responseHeaders);
  response.end(structured.isBase64Encoded ? Buffer.from(structured.body ?? '', 'base64') : (structured.body ?? ''));
}
