import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../../functions/shared/clients.ts';
import { now } from '../../functions/shared/clock.ts';
import type { Purchase } from '../../functions/shared/domain/purchase.ts';
import { withPlatformOrderId } from '../../functions/shared/sources/order-ids.ts';
import { keys } from '../../functions/shared/store/keys.ts';
import { getPurchase } from '../../functions/shared/store/purchases.ts';
import { isConditionFailure, tableName, toItem } from '../../functions/shared/store/table.ts';

/** Same retention as webhook events (functions/webhook/receive.ts). */
const EVENT_RETENTION_SECONDS = 90 * 86_400;

/**
 * Hands one historical purchase to Aftercare the way a webhook does: a purchase event stored once (conditional
 * PutItem keyed by the order id), which the table stream applies like any other. Its `receivedAt` is now, so steps
 * whose time passed before the import are planned `late` and skipped, and those still due follow their sequence.
 * An order Aftercare already has (imported before, or from a webhook) is left alone.
 */
export async function storeImportedPurchase(imported: Purchase, source: string): Promise<'imported' | 'known'> {
  const purchase = withPlatformOrderId(imported); // the order id its webhooks will use (shopify:…)
  if (await getPurchase(purchase.storeId, purchase.orderId)) return 'known';
  const receivedAt = now();
  try {
    await dynamoClient().send(
      new PutItemCommand({
        TableName: tableName(),
        Item: toItem({
          ...keys.event(purchase.storeId, purchase.orderId, 'import', purchase.orderId),
          storeId: purchase.storeId,
          platform: 'import',
          orderId: purchase.orderId,
          eventId: purchase.orderId,
          topic: `import/${source}`,
          occurredAt: purchase.purchasedAt,
          receivedAt: new Date(receivedAt).toISOString(),
          event: { kind: 'purchase', purchase },
          expiresAt: Math.floor(receivedAt / 1000) + EVENT_RETENTION_SECONDS,
        }),
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return 'imported';
  } catch (error) {
    if (isConditionFailure(error)) return 'known';
    throw error;
  }
}
