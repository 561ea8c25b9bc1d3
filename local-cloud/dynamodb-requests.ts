import type { AttributeValue, WriteRequest } from '@aws-sdk/client-dynamodb';
import { tableSchema } from '../functions/shared/store/schema.ts';

/** What DynamoDB accepts in one request (dynalite's limit too): larger bodies get a 413 before any parsing. */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

export const WRITE_OPERATIONS = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'TransactWriteItems',
  'BatchWriteItem',
]);

export type Key = Record<string, AttributeValue>;

/** The request body as JSON, or undefined when it is not (dynalite then answers SerializationException). */
export function parseBody(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The table keys a write request touches (for the stream's old and new images). Anything malformed yields no key:
 * the request goes to dynalite unchanged, which answers it as DynamoDB does (ValidationException…), and a failed
 * write produces no stream record.
 */
export function writtenKeys(operation: string, request: Record<string, unknown> | undefined): Key[] {
  if (!request || !WRITE_OPERATIONS.has(operation)) return [];
  const keyOf = (item: unknown): Key[] => {
    const attributes = item as Record<string, AttributeValue> | undefined;
    const partition = attributes?.[tableSchema.partitionKey];
    const sort = attributes?.[tableSchema.sortKey];
    if (typeof partition?.S !== 'string' || typeof sort?.S !== 'string') return [];
    return [{ [tableSchema.partitionKey]: { S: partition.S }, [tableSchema.sortKey]: { S: sort.S } }];
  };
  const list = (value: unknown): Record<string, Record<string, unknown> | undefined>[] =>
    Array.isArray(value) ? value.filter((entry) => entry !== null && typeof entry === 'object') : [];
  switch (operation) {
    case 'PutItem':
      return keyOf(request.Item);
    case 'UpdateItem':
    case 'DeleteItem':
      return keyOf(request.Key);
    case 'TransactWriteItems':
      return list(request.TransactItems).flatMap((t) => {
        const write = t.Put ?? t.Update ?? t.Delete;
        return keyOf(write?.Item ?? write?.Key);
      });
    case 'BatchWriteItem': {
      const items = request.RequestItems;
      if (items === null || typeof items !== 'object') return [];
      return Object.values(items as Record<string, unknown>)
        .flatMap(list)
        .flatMap((w) => keyOf(w.PutRequest?.Item ?? w.DeleteRequest?.Key));
    }
    default:
      return [];
  }
}

/**
 * Splits a BatchWriteItem request as DynamoDB may (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html):
 * the first half of its writes is processed, the rest (at least one) comes back as UnprocessedItems.
 */
export function splitBatchWrite(request: Record<string, unknown>): {
  processed: Record<string, WriteRequest[]>;
  unprocessed: Record<string, WriteRequest[]>;
} {
  const writes = Object.entries((request.RequestItems ?? {}) as Record<string, WriteRequest[]>).flatMap(
    ([table, requests]) => (Array.isArray(requests) ? requests.map((write) => ({ table, write })) : []),
  );
  const keep = Math.floor(writes.length / 2);
  const group = (part: typeof writes) => {
    const byTable: Record<string, WriteRequest[]> = {};
    for (const { table, write } of part) byTable[table] = [...(byTable[table] ?? []), write];
    return byTable;
  };
  return { processed: group(writes.slice(0, keep)), unprocessed: group(writes.slice(keep)) };
}

type KeysAndAttributes = { Keys?: unknown[] } & Record<string, unknown>;

/**
 * Splits a BatchGetItem request as DynamoDB may answer it under throttling
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html): the first half of its keys
 * is read, the rest (at least one) comes back as UnprocessedKeys, each table's with its own read options.
 */
export function splitBatchGet(request: Record<string, unknown>): {
  processed: Record<string, KeysAndAttributes>;
  unprocessed: Record<string, KeysAndAttributes>;
} {
  const tables = Object.entries((request.RequestItems ?? {}) as Record<string, KeysAndAttributes>);
  const keys = tables.flatMap(([table, read]) =>
    (Array.isArray(read?.Keys) ? read.Keys : []).map((key) => ({ table, key })),
  );
  const keep = Math.floor(keys.length / 2);
  const group = (part: typeof keys) => {
    const byTable: Record<string, KeysAndAttributes> = {};
    for (const { table, key } of part) {
      const read = byTable[table] ?? {
        ...(request.RequestItems as Record<string, KeysAndAttributes>)[table],
        Keys: [],
      };
      read.Keys?.push(key);
      byTable[table] = read;
    }
    return byTable;
  };
  return { processed: group(keys.slice(0, keep)), unprocessed: group(keys.slice(keep)) };
}

export function dynamoError(type: string, message: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message, ...extra });
}

/** Write capacity units one partition serves per second (the same in on-demand mode). */
export const PARTITION_WRITE_UNITS_PER_SECOND = 1000;

/**
 * Why dynalite must not see this request, or undefined. A JSON body that is not an object, or a `null` anywhere in
 * it, makes dynalite throw outside its request handler (the whole local cloud would stop); the AWS SDKs never send
 * either, and DynamoDB refuses them (SerializationException; "Member must not be null" ValidationException).
 */
export function refusal(body: Buffer, request: Record<string, unknown> | undefined): string | undefined {
  if (body.length === 0) return undefined; // dynalite answers an empty body itself
  if (!request) {
    const trimmed = body.toString('utf8').trim();
    const isJson = (() => {
      try {
        JSON.parse(trimmed);
        return true;
      } catch {
        return false;
      }
    })();
    return isJson
      ? dynamoError('SerializationException', 'Start of structure or map found where not expected')
      : undefined;
  }
  const path = nullAt(request, '');
  return path === undefined
    ? undefined
    : dynamoError(
        'ValidationException',
        `1 validation error detected: Value null at '${path.slice(0, 200)}' failed to satisfy constraint: Member must not be null`,
      );
}

function nullAt(value: unknown, path: string): string | undefined {
  if (value === null) return path || '.';
  if (typeof value !== 'object') return undefined;
  for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
    const found = nullAt(member, path ? `${path}.${key}` : key);
    if (found !== undefined) return found;
  }
  return undefined;
}
