import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { now } from '../clock.ts';
import { httpHandler } from '../http.ts';
import { logger } from '../logger.ts';
import { type Purpose, TokenError, type TokenPayload, verifyToken } from '../tokens.ts';
import { linkRejected, PageError } from './errors.ts';
import { type Page, pageResponse } from './layout.ts';

/** The middy chain of a page function: expected refusals render as pages, anything else is a bare 500. */
export function pageHandler(handle: (event: APIGatewayProxyEventV2) => Promise<Page>) {
  return httpHandler(async (event) => {
    try {
      return pageResponse(await handle(event));
    } catch (error) {
      if (!(error instanceof PageError)) throw error;
      logger.info('page refused', { status: error.page.status, reason: error.message });
      return pageResponse(error.page);
    }
  });
}

export interface Link {
  /** The token as it appeared in the path: forms post back to it. */
  token: string;
  payload: TokenPayload;
}

/** The signed link of this request, verified on the (virtual) clock; a bad one becomes a friendly 4xx page. */
export async function openLink(event: APIGatewayProxyEventV2, purpose: Purpose): Promise<Link> {
  const token = event.pathParameters?.token ?? '';
  try {
    if (token.length > 2048) throw new TokenError('malformed');
    return { token, payload: await verifyToken(token, purpose, now()) };
  } catch (error) {
    if (error instanceof TokenError) throw linkRejected(error, purpose);
    throw error;
  }
}
