import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../functions/shared/clients.ts';
import type { PurchaseRecord } from '../functions/shared/domain/purchase-record.ts';
import type { StepDecision } from '../functions/shared/store/decisions.ts';
import { keys } from '../functions/shared/store/keys.ts';
import type { RunRecord } from '../functions/shared/store/runs.ts';
import type { SurveyAnswer } from '../functions/shared/store/surveys.ts';
import { fromItem, tableName, toItem } from '../functions/shared/store/table.ts';

/** Read access for operators, along the table's documented access patterns (schema.ts): no scans. */

/** A sent message and what SES reported about it (written by the step and ses-events functions). */
export interface MessageRecord {
  messageId: string;
  storeId: string;
  orderId: string;
  sequence: string;
  step: string;
  state: string;
}

/** Everything Aftercare keeps about one purchase, except the raw webhook events. */
export interface PurchaseTrail {
  record: PurchaseRecord;
  decisions: StepDecision[];
  survey?: SurveyAnswer;
  /** The run items: what each run waits for and what the run keeper did to it. */
  runs?: RunRecord[];
}

type Item = Record<string, AttributeValue>;

/** A webhook event of an order that the apply function kept failing on (its EVENT# item, marked by apply). */
export interface UnappliedEvent {
  SK: string;
  topic: string;
  applyFailures: number;
  applyError: string;
  applyFailedAt: string;
  applySequenceNumber: string;
}

async function queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await dynamoClient().send(
      new QueryCommand({ ...input, TableName: tableName(), ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Purchases of a store bought in [from, to] (GSI2, sorted by purchase time). */
export async function purchasesOfStore(storeId: string, from: string, to: string): Promise<PurchaseRecord[]> {
  const items = await queryAll({
    IndexName: 'GSI2',
    KeyConditionExpression: 'GSI2PK = :store AND GSI2SK BETWEEN :from AND :to',
    ExpressionAttributeValues: toItem({ ':store': keys.storeIndex(storeId), ':from': from, ':to': `${to}\uffff` }),
  });
  return items.map((item) => fromItem<PurchaseRecord>(item) as PurchaseRecord).filter((r) => r.orderId);
}

/** Purchases of one customer of a store (GSI1): the customer key is the hash of their address. */
export async function purchasesOfCustomer(storeId: string, customerKey: string): Promise<PurchaseRecord[]> {
  const items = await queryAll({
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :customer',
    ExpressionAttributeValues: toItem({ ':customer': keys.customerIndex(storeId, customerKey) }),
  });
  return items.map((item) => fromItem<PurchaseRecord>(item) as PurchaseRecord);
}

/**
 * The purchase with its decisions and survey answer: one query of its partition. Sort keys order as EVENT# <
 * PURCHASE < STEP# < SURVEY, so starting at PURCHASE leaves the raw webhook events out.
 */
export async function purchaseTrail(storeId: string, orderId: string): Promise<PurchaseTrail | undefined> {
  const key = keys.purchase(storeId, orderId);
  const items = await queryAll({
    KeyConditionExpression: 'PK = :pk AND SK >= :purchase',
    ExpressionAttributeValues: toItem({ ':pk': key.PK, ':purchase': key.SK }),
    ConsistentRead: true,
  });
  let record: PurchaseRecord | undefined;
  let survey: SurveyAnswer | undefined;
  const decisions: StepDecision[] = [];
  const runs: RunRecord[] = [];
  for (const item of items) {
    const sortKey = item.SK?.S ?? '';
    if (sortKey === 'PURCHASE') record = fromItem<PurchaseRecord>(item);
    else if (sortKey === 'SURVEY') survey = fromItem<SurveyAnswer>(item);
    else if (sortKey.startsWith('STEP#')) decisions.push(fromItem<StepDecision>(item) as StepDecision);
    else if (sortKey.startsWith('RUN#')) runs.push(fromItem<RunRecord>(item) as RunRecord);
  }
  return record ? { record, decisions, runs, ...(survey ? { survey } : {}) } : undefined;
}

/** MESSAGE items by id, 100 per BatchGetItem; unprocessed keys are asked again. */
export async function messagesById(ids: readonly string[]): Promise<Map<string, MessageRecord>> {
  const found = new Map<string, MessageRecord>();
  for (let offset = 0; offset < ids.length; offset += 100) {
    let pending: Item[] | undefined = ids.slice(offset, offset + 100).map((id) => toItem(keys.message(id)));
    for (let attempt = 0; pending?.length && attempt < 8; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const result: BatchGetItemCommandOutput = await dynamoClient().send(
        new BatchGetItemCommand({ RequestItems: { [tableName()]: { Keys: pending } } }),
      );
      for (const item of result.Responses?.[tableName()] ?? []) {
        const message = fromItem<MessageRecord>(item);
        if (message) found.set(message.messageId, message);
      }
      pending = result.UnprocessedKeys?.[tableName()]?.Keys;
    }
  }
  return found;
}

/** Runs `work` over `items` with at most `limit` in flight, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The order's webhook events that failed to apply: only the failure marks are read, never the payload. */
export async function unappliedEvents(storeId: string, orderId: string): Promise<UnappliedEvent[]> {
  const items = await queryAll({
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :event)',
    FilterExpression: 'attribute_exists(applyFailures)',
    ProjectionExpression: 'SK, topic, applyFailures, applyError, applyFailedAt, applySequenceNumber',
    ExpressionAttributeValues: toItem({ ':pk': keys.purchase(storeId, orderId).PK, ':event': 'EVENT#' }),
    ConsistentRead: true,
  });
  return items.map((item) => fromItem<UnappliedEvent>(item) as UnappliedEvent);
}
