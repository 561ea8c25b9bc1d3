import { httpHandler } from '../shared/http.ts';
import { receiveWebhook } from './receive.ts';

/** Lambda entry for POST /webhooks/{platform}/{storeId}. */
export const handler = httpHandler(receiveWebhook);
