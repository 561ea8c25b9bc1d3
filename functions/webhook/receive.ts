import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { dynamoClient } from '../shared/clients.ts';
import { now } from '../shared/clock.ts';
import { getStore } from '../shared/config/load.ts';
import type { SourceEvent } from '../shared/domain/purchase.ts';
import { PLATFORMS } from '../shared/domain/vocabulary.ts';
import { HttpError, json, lowerCaseHeaders, rawBody } from '../shared/http.ts';
import { logger } from '../shared/logger.ts';
import { count } from '../shared/metrics.ts';
import { webhookSecrets } from '../shared/secrets.ts';
import { sources } from '../shared/sources/index.ts';
import { inPlatformNamespace } from '../shared/sources/order-ids.ts';
import { eventKeyId, keys } from '../shared/store/keys.ts';
import { isConditionFailure, tableName, toItem } from '../shared/store/table.ts';
import { assertStorable } from './fits.ts';

export const MAX_BODY_BYTES = 1024 * 1024;
/** Stored webhook events expire after 90 days (TTL): long enough for any platform's retries and for audits. */
const EVENT_RETENTION_SECONDS = 90 * 86_400;

const pathSchema = z.object({ platform: z.string(), storeId: z.string() });

/** The order a source event is about; customer and shop events are stored under the store. */
export function orderIdOf(event: SourceEvent): string | undefined {
  switch (event.kind) {
    case 'purchase':
      return event.purchase.orderId;
    case 'delivered':
    case 'cancelled':
    case 'refunded':
      return event.orderId;
    default:
      return undefined;
  }
}

/**
 * POST /webhooks/{platform}/{storeId}: verify over the raw bytes, parse into a source event, store it with one
 * conditional PutItem (the dedupe key is the platform's event id), answer 200. Everything else happens after the
 * acknowledgement, from the table stream. A rejected request writes nothing.
 */
export async function receiveWebhook(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const parsedPath = pathSchema.safeParse(event.pathParameters ?? {});
  if (!parsedPath.success) throw new HttpError(404, 'Not Found');
  const path = parsedPath.data;
  const platform = PLATFORMS.find((p) => p === path.platform);
  if (!platform)
    throw new HttpError(404, `Unknown platform "${path.platform.slice(0, 40)}": use one of ${PLATFORMS.join(', ')}`);
  const store = getStore(path.storeId);
  if (!store?.platforms.includes(platform)) throw new HttpError(404, `Unknown store for ${platform} webhooks`);
  const body = rawBody(event);
  if (body.length > MAX_BODY_BYTES) throw new HttpError(413, 'body larger than 1 MiB');

  const request = {
    headers: lowerCaseHeaders(event),
    rawBody: body,
    storeId: store.id,
    now: now(),
    ...(store.shopifyDomain ? { shopDomain: store.shopifyDomain } : {}),
  };
  const source = sources[platform];
  const secrets = await webhookSecrets(store.id, platform);
  // No usable secret: nobody can be shown to be the sender (401 from verify), an operator's mistake to log.
  if (secrets.length === 0) logger.error('no usable webhook secret configured', { storeId: store.id, platform });
  // Replay windows are judged on the wall clock: senders sign with real time, even when the local clock is accelerated.
  count('WebhooksReceived', { platform });
  const verification = source.verify({ ...request, now: Date.now() }, secrets);
  if (verification.ping) return json(200, { ok: true, ping: true });
  const delivery = verification.delivery;
  const sourceEvent = inPlatformNamespace(platform, source.parse(request, delivery));
  if (sourceEvent.kind === 'ignored') {
    logger.info('webhook topic ignored', { storeId: store.id, platform, topic: delivery.topic.slice(0, 80) });
    return json(200, { ok: true, ignored: true });
  }
  assertStorable(sourceEvent, store, request.now);
  const orderId = orderIdOf(sourceEvent);
  const receivedAt = new Date(request.now).toISOString();
  try {
    await dynamoClient().send(
      new PutItemCommand({
        TableName: tableName(),
        Item: toItem({
          ...keys.event(store.id, orderId, platform, delivery.eventId),
          storeId: store.id,
          platform,
          orderId,
          eventId: eventKeyId(delivery.eventId),
          topic: delivery.topic,
          occurredAt: delivery.occurredAt,
          receivedAt,
          event: sourceEvent,
          expiresAt: Math.floor(request.now / 1000) + EVENT_RETENTION_SECONDS,
        }),
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error; // 5xx: the platform retries, nothing is lost
    return json(200, { ok: true, duplicate: true });
  }
  count('PurchasesStored', { platform });
  logger.info('webhook stored', {
    storeId: store.id,
    platform,
    kind: sourceEvent.kind,
    topic: delivery.topic.slice(0, 80),
  });
  return json(200, { ok: true });
}
