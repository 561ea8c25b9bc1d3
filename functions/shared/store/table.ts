import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  GetItemCommand,
  type KeysAndAttributes,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamoClient } from '../clients.ts';
import { environment } from '../env.ts';

export type Key = { PK: string; SK: string };

export function tableName(): string {
  return environment().AFTERCARE_TABLE;
}

export function toItem(value: Record<string, unknown>): Record<string, AttributeValue> {
  return marshall(value, { removeUndefinedValues: true, convertClassInstanceToMap: false });
}

export function fromItem<T>(item: Record<string, AttributeValue> | undefined): T | undefined {
  return item ? (unmarshall(item) as T) : undefined;
}

export async function getItem<T>(key: Key): Promise<T | undefined> {
  const result = await dynamoClient().send(
    new GetItemCommand({ TableName: tableName(), Key: toItem(key), ConsistentRead: true }),
  );
  return fromItem<T>(result.Item);
}

/** BatchGetItem takes at most 100 keys a request. */
const BATCH_GET_KEYS = 100;
/** UnprocessedKeys asked again this many times, backing off, before the caller's retry takes over. */
const BATCH_GET_ATTEMPTS = 6;

const keyId = (key: Key) => `${key.PK}\u0000${key.SK}`;
const itemKeyId = (item: Record<string, AttributeValue>) => `${item.PK?.S}\u0000${item.SK?.S}`;

/**
 * Several items in one round trip (BatchGetItem, consistent reads, one read unit per 4 KB as GetItem), by name: a
 * name whose key is undefined, or whose item does not exist, is absent from the answer. DynamoDB may answer only
 * part of a batch (UnprocessedKeys, under throttling): those are asked again with exponential back-off, as AWS
 * advises, and a batch still unanswered after that throws so the caller's retry takes over.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
 */
export async function getItems<Name extends string>(
  wanted: Record<Name, Key | undefined>,
): Promise<Partial<Record<Name, Record<string, unknown>>>> {
  const names = namesByKey(wanted);
  if (names.size > BATCH_GET_KEYS) throw new Error(`getItems takes at most ${BATCH_GET_KEYS} keys, got ${names.size}`);
  const found: Partial<Record<Name, Record<string, unknown>>> = {};
  const table = tableName();
  let pending: KeysAndAttributes | undefined = {
    Keys: [...names.values()].map((each) => toItem(wanted[each[0] as Name] as Key)),
    ConsistentRead: true,
  };
  for (let attempt = 0; pending?.Keys?.length; attempt += 1) {
    if (attempt === BATCH_GET_ATTEMPTS)
      throw new Error(`BatchGetItem left ${pending.Keys.length} keys unprocessed after ${attempt} attempts`);
    if (attempt > 0) await backOff(attempt);
    const result: BatchGetItemCommandOutput = await dynamoClient().send(
      new BatchGetItemCommand({ RequestItems: { [table]: pending } }),
    );
    for (const item of result.Responses?.[table] ?? [])
      for (const name of names.get(itemKeyId(item)) ?? []) found[name] = fromItem(item);
    pending = result.UnprocessedKeys?.[table];
  }
  return found;
}

/** The names asking for each distinct key (BatchGetItem refuses a batch that repeats one). */
function namesByKey<Name extends string>(wanted: Record<Name, Key | undefined>): Map<string, Name[]> {
  const names = new Map<string, Name[]>();
  for (const [name, key] of Object.entries(wanted) as [Name, Key | undefined][]) {
    if (!key) continue;
    const id = keyId(key);
    names.set(id, [...(names.get(id) ?? []), name]);
  }
  return names;
}

/** 25, 50, 100, 200, 400 ms, each with full jitter. */
function backOff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** (attempt - 1)));
}

export function isConditionFailure(error: unknown): boolean {
  const name = (error as Error | undefined)?.name;
  return name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException';
}
