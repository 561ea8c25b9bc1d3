import { type AttributeValue, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../clients.ts';
import type { Run } from '../domain/run.ts';
import type { PlannedStep } from '../domain/step.ts';
import { keys } from './keys.ts';
import { RUN_SHARDS } from './schema.ts';
import { fromItem, getItem, isConditionFailure, tableName, toItem } from './table.ts';

/**
 * A sequence run as the run keeper sees it: which generation owns it, the step it waits for next and by when it
 * must have been heard from (`dueAt`). `live`: an execution waits, heartbeat due at its next wake + grace;
 * `parked`: no execution, resumed at `dueAt` (the next wake − lead); `done`: nothing left, out of the index.
 */
export interface RunRecord {
  storeId: string;
  orderId: string;
  sequence: Run['sequence'];
  name: string;
  state: 'live' | 'parked' | 'done';
  generation: number;
  /** Index of the step the run waits for next (in the plan's steps). */
  nextStep: number;
  /** When that step wakes (ISO): a postponement moves it past the plan's time. */
  wakeAt?: string;
  dueAt?: string;
  /** Runs that are not a stored plan of the purchase (a survey answer's follow-up) carry their steps. */
  steps?: PlannedStep[];
  plannedAt?: string;
  at: string;
  /** What the run did and what the keeper did to it: the why trail's run lines (the last 20). */
  history: RunEvent[];
}

export interface RunEvent {
  at: string;
  event: 'started' | 'parked' | 'unparked' | 'resumed' | 'done';
  generation: number;
  step?: number;
  reason?: string;
}

/** The GSI3 shard of a run: stable per name, so one run's rewrites stay in one partition. */
export function runShard(name: string): number {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % RUN_SHARDS;
}

function indexKeys(record: Pick<RunRecord, 'state' | 'dueAt' | 'name'>) {
  if (record.state === 'done' || !record.dueAt) return {};
  return { GSI3PK: keys.runShard(runShard(record.name)), GSI3SK: `${record.dueAt}#${record.name}` };
}

export function getRun(storeId: string, orderId: string, name: string): Promise<RunRecord | undefined> {
  return getItem<RunRecord>(keys.run(storeId, orderId, name));
}

/** The owning execution's write (`generation` the run's newest or equal, the run not finished): saveRun and touchRun. */
const SAME_OWNER = 'attribute_not_exists(PK) OR (generation <= :generation AND #state <> :done)';

/**
 * Writes the run item when `generation` is the run's newest (`sameGeneration`: or equal — a heartbeat of the
 * owning execution). Returns false when a newer generation (or a finished run) owns it: the caller stands down.
 */
export async function saveRun(
  record: Omit<RunRecord, 'history'>,
  event: Omit<RunEvent, 'at' | 'generation'> | undefined,
  previous: RunRecord | undefined,
  ownership: 'newer' | 'same',
): Promise<boolean> {
  const history = event
    ? [...(previous?.history ?? []), { ...event, at: record.at, generation: record.generation }].slice(-20)
    : (previous?.history ?? []);
  const key = keys.run(record.storeId, record.orderId, record.name);
  // A record read back from the table carries its old keys: a finished run must leave the index.
  const { GSI3PK: _pk, GSI3SK: _sk, ...fields } = record as typeof record & { GSI3PK?: string; GSI3SK?: string };
  try {
    await dynamoClient().send(
      new PutItemCommand({
        TableName: tableName(),
        Item: toItem({ ...fields, ...key, history, ...indexKeys(record) }),
        ConditionExpression:
          ownership === 'newer' ? 'attribute_not_exists(PK) OR generation < :generation' : SAME_OWNER,
        ExpressionAttributeNames: ownership === 'same' ? { '#state': 'state' } : undefined,
        ExpressionAttributeValues: toItem({
          ':generation': record.generation,
          ...(ownership === 'same' ? { ':done': 'done' } : {}),
        }),
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Fields a run item may lack (a parking wake has no wakeAt, a stored plan keeps no steps): removed when absent. */
const OPTIONAL_RUN_FIELDS = ['wakeAt', 'steps', 'plannedAt'] as const;

/**
 * A heartbeat's write of a live run item, without reading it first: the same fields and the same ownership condition
 * as `saveRun(…, 'same')`, its history left as stored (a heartbeat adds no event). One UpdateItem instead of a
 * GetItem and a PutItem on every wake. Returns false when a newer generation or a finished run owns the item.
 */
export async function touchRun(
  record: Omit<RunRecord, 'history'> & { state: 'live'; dueAt: string },
): Promise<boolean> {
  const fields: Record<string, unknown> = { ...record, ...indexKeys(record) };
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':none': [], ':generation': record.generation, ':done': 'done' };
  const sets = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([field, value], index) => {
      names[`#f${index}`] = field;
      values[`:f${index}`] = value;
      return `#f${index} = :f${index}`;
    });
  const removes = OPTIONAL_RUN_FIELDS.filter((field) => fields[field] === undefined).map((field) => {
    names[`#r${field}`] = field;
    return `#r${field}`;
  });
  try {
    await dynamoClient().send(
      new UpdateItemCommand({
        TableName: tableName(),
        Key: toItem(keys.run(record.storeId, record.orderId, record.name)),
        UpdateExpression: `SET ${[...sets, '#history = if_not_exists(#history, :none)'].join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: SAME_OWNER,
        ExpressionAttributeNames: { ...names, '#history': 'history', '#state': 'state' },
        ExpressionAttributeValues: toItem(values),
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function listRuns(storeId: string, orderId: string): Promise<RunRecord[]> {
  const result = await dynamoClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :run)',
      ExpressionAttributeValues: toItem({ ':pk': keys.purchase(storeId, orderId).PK, ':run': 'RUN#' }),
    }),
  );
  return (result.Items ?? []).map((item) => fromItem<RunRecord>(item) as RunRecord);
}

/** One page of a shard's runs due by `now`, earliest first (GSI3 is eventually consistent: the keeper re-reads). */
export async function dueRuns(
  shard: number,
  now: number,
  limit: number,
  startKey?: Record<string, AttributeValue>,
): Promise<{ runs: RunRecord[]; next?: Record<string, AttributeValue> }> {
  const result = await dynamoClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'GSI3',
      KeyConditionExpression: 'GSI3PK = :shard AND GSI3SK <= :due',
      ExpressionAttributeValues: toItem({
        ':shard': keys.runShard(shard),
        ':due': `${new Date(now).toISOString()}#\uffff`,
      }),
      Limit: limit,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    }),
  );
  return {
    runs: (result.Items ?? []).map((item) => fromItem<RunRecord>(item) as RunRecord),
    ...(result.LastEvaluatedKey ? { next: result.LastEvaluatedKey } : {}),
  };
}
