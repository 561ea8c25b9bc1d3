import type { MiddlewareObj, MiddyfiedHandler } from '@middy/core';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { errorFacts, logger } from './logger.ts';

/** What an error answer says it is, for a program to branch on (the message is for people). */
export type ErrorCode =
  | 'invalid-request'
  | 'invalid-signature'
  | 'forbidden'
  | 'not-found'
  | 'too-large'
  | 'internal'
  | 'error';

const CODE_OF_STATUS: Record<number, ErrorCode> = {
  400: 'invalid-request',
  401: 'invalid-signature',
  403: 'forbidden',
  404: 'not-found',
  413: 'too-large',
};

/** The code an error of this status answers with when it names none. */
export function errorCodeOf(status: number): ErrorCode {
  return status >= 500 ? 'internal' : (CODE_OF_STATUS[status] ?? 'error');
}

/** The one JSON error shape of every function: `{ "message", "code", "field"? }` (`field`: the input it is about). */
export interface ErrorBody {
  message: string;
  code: ErrorCode;
  field?: string;
}

/** Every error answer of the functions, 4xx or 5xx, in the one shape. */
export function errorBody(
  status: number,
  code: ErrorCode,
  message: string,
  field?: string,
): APIGatewayProxyStructuredResultV2 {
  return json(status, { message, code, ...(field ? { field } : {}) } satisfies ErrorBody);
}

/** The field a "field: reason" message is about ("line_items.0.price: expected a decimal amount"), if it names one. */
export function fieldOf(message: string): string | undefined {
  return /^([A-Za-z0-9_.-]+): /.exec(message)?.[1];
}

/** An expected client error: its message is shown to the caller (status < 500). */
export class HttpError extends Error {
  readonly expose = true;
  readonly code: ErrorCode;
  constructor(
    readonly statusCode: number,
    message: string,
    code?: ErrorCode,
  ) {
    super(message);
    this.name = 'HttpError';
    this.code = code ?? errorCodeOf(statusCode);
  }
}

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

type Failure = Error & { statusCode?: number; expose?: boolean; code?: unknown; field?: unknown };

/**
 * middy http-error-handler semantics with one JSON shape (`errorBody`): an error below 500 that may be exposed answers
 * its message, code and field with its status; anything else `{ "message": "Internal Server Error", "code": "internal" }`.
 * Internals are logged (name and message only under `error`/`reason`: Powertools reserves `message`).
 */
const jsonErrors: MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> = {
  onError: async (request) => {
    if (request.response !== undefined) return;
    const error = request.error as Failure;
    const status = error.statusCode ?? 500;
    if (status >= 500 || error.expose === false) {
      logger.error('request failed', errorFacts(error));
      request.response = errorBody(500, 'internal', 'Internal Server Error');
      return;
    }
    logger.info('request rejected', { status, reason: errorFacts(error).reason });
    request.response = errorBody(status, answerCode(error, status), error.message, answerField(error));
  },
};

/** The code an exposed error carries (one of ours), else the one of its status (middy's createError has none). */
function answerCode(error: Failure, status: number): ErrorCode {
  const codes: readonly unknown[] = Object.values(CODE_OF_STATUS);
  return codes.includes(error.code) ? (error.code as ErrorCode) : errorCodeOf(status);
}

function answerField(error: Failure): string | undefined {
  return typeof error.field === 'string' ? error.field : undefined;
}

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
