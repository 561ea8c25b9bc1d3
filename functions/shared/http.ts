import type { MiddlewareObj, MiddyfiedHandler } from '@middy/core';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { errorFacts, logger } from './logger.ts';

/** An expected client error: its message is shown to the caller (status < 500). */
export class HttpError extends Error {
  readonly expose = true;
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

type Failure = Error & { statusCode?: number; expose?: boolean };

/**
 * middy http-error-handler semantics with one JSON shape: an error below 500 that may be exposed answers
 * `{ "message": … }` with its status; anything else a bare `{ "message": "Internal Server Error" }` 500.
 * Internals are logged (name and message only under `error`/`reason`: Powertools reserves `message`).
 */
const jsonErrors: MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> = {
  onError: async (request) => {
    if (request.response !== undefined) return;
    const error = request.error as Failure;
    const status = error.statusCode ?? 500;
    if (status >= 500 || error.expose === false) {
      logger.error('request failed', errorFacts(error));
      request.response = json(500, { message: 'Internal Server Error' });
      return;
    }
    logger.info('request rejected', { status, reason: errorFacts(error).reason });
    request.response = json(status, { message: error.message });
  },
};

/** The middy chain of every HTTP function: expected errors become JSON 4xx with their message; the rest a 500. */
export function httpHandler(
  handler: HttpHandler,
): MiddyfiedHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>().use(jsonErrors).handler(handler);
}

/** A JSON answer; `nosniff` so no browser ever reads it as anything else (the message may echo a field path). */
export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'x-content-type-options': 'nosniff', ...headers },
    body: JSON.stringify(body),
  };
}

export function rawBody(event: APIGatewayProxyEventV2): Buffer {
  if (event.body === undefined) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

export function lowerCaseHeaders(event: APIGatewayProxyEventV2): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
}
