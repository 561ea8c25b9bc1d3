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

// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: predates the rule; left whole so the branches editing it merge cleanly (issue 16)
async function serve(request: IncomingMessage, response: ServerResponse, options: ServerOptions) {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (request.method === 'GET' && url.pathname === '/health') {
    const ready = options.isReady();
    response.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status: ready ? 'ok' : 'starting', now: new Date(options.now()).toISOString() }));
    return;
  }
  if (options.extraRoutes?.(request, response)) return;
  const match = matchRoute(request.method ?? 'GET', url.pathname);
  if (!match) {
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ message: 'Not Found' }));
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      response.writeHead(413, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: 'Request Entity Too Large' }));
      return;
    }
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const isText = TEXT_TYPES.test(headers['content-type'] ?? '');
  const now = new Date();
  const routeKey = `${match.route.method} ${match.route.path}`;
  const event: APIGatewayProxyEventV2 = {
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
  const result = (await invoke(match.route.function, event)) as APIGatewayProxyStructuredResultV2 | string | null;
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
