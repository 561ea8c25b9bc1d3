import { HttpError, httpHandler } from '../shared/http.ts';

/** Placeholder until the customer pages land: answers 503 so no link appears to work half-way. */
export const handler = httpHandler(async () => {
  throw new HttpError(503, 'Not available yet');
});
