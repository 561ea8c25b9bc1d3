import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { dynamoClient } from '../shared/clients.ts';
import { errorFacts, logger } from '../shared/logger.ts';
import { tableName, toItem } from '../shared/store/table.ts';
import { applyEvent, type StoredEvent } from './apply.ts';

const PRIVACY_KINDS = new Set(['customer-redact', 'data-request']);

/**
 * Table stream → apply: each newly stored webhook event, in order. A failure reports that record (and, by the
 * stream's ordering, those after it) for retry; after the retries the record goes to the on-failure destination.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (!image) continue;
    const stored = unmarshall(image as never) as StoredEvent & { PK: string; SK: string };
    try {
      const { discard } = await applyEvent(stored);
      // Privacy requests carry the very data they ask to remove: once applied, the request itself goes too —
      // and so does any later copy of a redacted order (a platform's retry).
      if (discard || PRIVACY_KINDS.has(stored.event.kind)) {
        await dynamoClient().send(
          new DeleteItemCommand({ TableName: tableName(), Key: toItem({ PK: stored.PK, SK: stored.SK }) }),
        );
      }
    } catch (error) {
      logger.error('applying event failed', {
        storeId: stored.storeId,
        orderId: stored.orderId,
        kind: stored.event.kind,
        ...errorFacts(error),
      });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
}
