import type { MiddyfiedHandler } from '@middy/core';
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
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

/**
 * The middy chain of every HTTP function: expected errors (status < 500) become 4xx with their message;
 * anything else becomes a bare 500 — internals are logged (name and message only), never returned.
 */
export function httpHandler(
  handler: HttpHandler,
): MiddyfiedHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(
      httpErrorHandler({
        fallbackMessage: JSON.stringify({ message: 'Internal Server Error' }),
        logger: (error: Error & { statusCode?: number }) => {
          if ((error.statusCode ?? 500) >= 500) logger.error('request failed', errorFacts(error));
          else logger.info('request rejected', { status: error.statusCode, error: error.message });
        },
      }),
    )
    .handler(handler);
}

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function rawBody(event: APIGatewayProxyEventV2): Buffer {
  if (event.body === undefined) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

export function lowerCaseHeaders(event: APIGatewayProxyEventV2): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(event.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
}
