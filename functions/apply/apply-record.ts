import { DeleteItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { dynamoClient } from '../shared/clients.ts';
import { now } from '../shared/clock.ts';
import { errorFacts, logger } from '../shared/logger.ts';
import { count } from '../shared/metrics.ts';
import { tableName, toItem } from '../shared/store/table.ts';
import { applyEvent } from './apply.ts';
import { storedEventSchema } from './stored-event.ts';

const PRIVACY_KINDS = new Set(['customer-redact', 'data-request']);

/**
 * One table stream record → apply. Throws when the event cannot be applied: the batch processor reports it and the
 * event source mapping retries it; its EVENT# item stays in the table (replayable), marked with the failure.
 */
export async function applyRecord(record: DynamoDBRecord): Promise<void> {
  const image = record.dynamodb?.NewImage;
  if (!image) return;
  const item = unmarshall(image as never) as Record<string, unknown>;
  try {
    const stored = storedEventSchema.parse(item);
    const { discard } = await applyEvent(stored);
    // Privacy requests carry the very data they ask to remove: once applied, the request itself goes too —
    // and so does any later copy of a redacted order (a platform's retry).
    if (discard || PRIVACY_KINDS.has(stored.event.kind)) {
      await dynamoClient().send(
        new DeleteItemCommand({ TableName: tableName(), Key: toItem({ PK: stored.PK, SK: stored.SK }) }),
      );
    }
  } catch (error) {
    const kind = String((item.event as { kind?: unknown } | undefined)?.kind ?? 'unknown').slice(0, 40);
    logger.error('applying event failed', {
      storeId: String(item.storeId ?? ''),
      orderId: String(item.orderId ?? ''),
      kind,
      sequenceNumber: record.dynamodb?.SequenceNumber,
      ...errorFacts(error),
    });
    count('EventsNotApplied', { kind });
    await markNotApplied(item, record.dynamodb?.SequenceNumber, error as Error);
    throw error;
  }
}

/**
 * Leaves the failure on the EVENT# item itself (a MODIFY: the mapping's INSERT filter ignores it), so an operator
 * can find the event behind an on-failure record's sequence numbers. Best effort: the table may be the failure.
 */
async function markNotApplied(item: Record<string, unknown>, sequenceNumber: string | undefined, error: Error) {
  if (typeof item.PK !== 'string' || typeof item.SK !== 'string') return;
  await dynamoClient()
    .send(
      new UpdateItemCommand({
        TableName: tableName(),
        Key: toItem({ PK: item.PK, SK: item.SK }),
        UpdateExpression:
          'SET applyFailures = if_not_exists(applyFailures, :zero) + :one, applyError = :error, applyFailedAt = :at, applySequenceNumber = :sequence',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: toItem({
          ':zero': 0,
          ':one': 1,
          ':error': error.name.slice(0, 100),
          ':at': new Date(now()).toISOString(),
          ':sequence': sequenceNumber ?? '',
        }),
      }),
    )
    .catch(() => undefined);
}
