import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { applyRecord } from './apply-record.ts';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

/**
 * Table stream → apply: every newly stored webhook event of the batch is applied, and each one that fails is
 * reported (the mapping retries from the lowest; a batch where all fail throws, and the mapping bisects it).
 * One at a time, in stream order: a purchase's events must not overtake one another (a cancellation its order).
 */
export async function handler(event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> {
  return processPartialResponse(event, applyRecord, processor, {
    ...(context ? { context } : {}),
    processInParallel: false,
  });
}
