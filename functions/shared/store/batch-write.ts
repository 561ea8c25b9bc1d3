import { BatchWriteItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../clients.ts';
import { tableName } from './table.ts';

/** BatchWriteItem takes at most 25 writes per request. */
const MAX_WRITES_PER_REQUEST = 25;

/** Some writes were still unprocessed after every retry: the caller's work is incomplete and must not pass as done. */
export class UnprocessedWritesError extends Error {
  override name = 'UnprocessedWritesError';
}

/**
 * Writes (puts or deletes) to the table through BatchWriteItem, 25 at a time. DynamoDB may answer with
 * `UnprocessedItems` (throttling, capacity): those are sent again with exponential backoff and full jitter, as the
 * API reference asks (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html);
 * if some remain after `attempts` requests, it throws UnprocessedWritesError rather than return a partial result.
 */
export async function batchWrite(
  writes: readonly WriteRequest[],
  options: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number } = {},
): Promise<void> {
  const attempts = options.attempts ?? 8;
  const baseDelayMs = options.baseDelayMs ?? 25;
  const maxDelayMs = options.maxDelayMs ?? 1_000;
  for (let offset = 0; offset < writes.length; offset += MAX_WRITES_PER_REQUEST) {
    let pending: Record<string, WriteRequest[]> = {
      [tableName()]: writes.slice(offset, offset + MAX_WRITES_PER_REQUEST),
    };
    for (let attempt = 0; countWrites(pending) > 0; attempt += 1) {
      if (attempt >= attempts)
        throw new UnprocessedWritesError(`${countWrites(pending)} writes still unprocessed after ${attempts} requests`);
      if (attempt > 0) {
        const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
        await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
      }
      const result = await dynamoClient().send(new BatchWriteItemCommand({ RequestItems: pending }));
      pending = result.UnprocessedItems ?? {};
    }
  }
}

function countWrites(requests: Record<string, WriteRequest[]>): number {
  return Object.values(requests).reduce((sum, list) => sum + list.length, 0);
}
