import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../clients.ts';
import { type Admission, type AdmitRequest, admit, type CapState } from '../domain/queue.ts';
import type { Category } from '../domain/step.ts';
import { keys } from './keys.ts';
import { getItem, isConditionFailure, tableName, toItem } from './table.ts';

/** A customer's choices and send history within one store (keyed by the hash of their address). */
export interface CustomerProfile {
  storeId: string;
  customerKey: string;
  unsubscribedAll?: boolean;
  unsubscribed?: Category[];
  lastSentAt?: number;
  lastSentKey?: string;
  /** The capped emails waiting for their slot, and the last email of each once-per-customer kind. */
  pending?: CapState['pending'];
  lastSentOf?: CapState['lastSentOf'];
  /** Bumped by every cap write: the queue's writes are conditional on it. */
  version?: number;
  updatedAt?: string;
}

export function getProfile(storeId: string, customerKey: string): Promise<CustomerProfile | undefined> {
  return getItem<CustomerProfile>(keys.customer(storeId, customerKey));
}

export async function setPreferences(
  storeId: string,
  customerKey: string,
  preferences: { unsubscribedAll: boolean; unsubscribed: Category[] },
  now: string,
): Promise<void> {
  await dynamoClient().send(
    new UpdateItemCommand({
      TableName: tableName(),
      Key: toItem(keys.customer(storeId, customerKey)),
      UpdateExpression:
        'SET storeId = :store, customerKey = :customer, GSI2PK = :storeIndex, GSI2SK = :customerIndex, unsubscribedAll = :all, unsubscribed = :categories, updatedAt = :now',
      ExpressionAttributeValues: toItem({
        ':store': storeId,
        ':customer': customerKey,
        ':all': preferences.unsubscribedAll,
        ':categories': preferences.unsubscribed,
        ':now': now,
        ...storeIndex(storeId, customerKey),
      }),
    }),
  );
}

/**
 * The frequency cap as a queue, atomically: reads the profile, lets `admit` decide (send now, wait for a definite
 * slot, stale, covered) and writes the next queue state only if no one changed the profile meanwhile (its version);
 * on a conflict it reads again. Lock-free: every round at least one contender's write succeeds.
 */
export async function admitToCap(storeId: string, customerKey: string, request: AdmitRequest): Promise<Admission> {
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const profile = await getProfile(storeId, customerKey);
    const { admission, next } = admit(profile ?? {}, request);
    if (next === profile || (await writeCapState(storeId, customerKey, profile?.version, next))) return admission;
  }
  throw new CapContentionError(`frequency cap of one customer contended ${MAX_ROUNDS} times`);
}

/** More contenders than this for one customer's profile at once means something is looping: let the workflow retry. */
const MAX_ROUNDS = 40;

export class CapContentionError extends Error {
  override name = 'Aftercare.CapContention';
}

async function writeCapState(
  storeId: string,
  customerKey: string,
  version: number | undefined,
  next: CapState,
): Promise<boolean> {
  const sets = ['storeId = :store', 'customerKey = :customer', 'GSI2PK = :storeIndex', 'GSI2SK = :customerIndex'];
  sets.push('pending = :pending', 'lastSentOf = :lastSentOf', 'version = :next');
  const removes: string[] = [];
  if (next.lastSentAt === undefined) removes.push('lastSentAt');
  else sets.push('lastSentAt = :lastSentAt');
  if (next.lastSentKey === undefined) removes.push('lastSentKey');
  else sets.push('lastSentKey = :lastSentKey');
  try {
    await dynamoClient().send(
      new UpdateItemCommand({
        TableName: tableName(),
        Key: toItem(keys.customer(storeId, customerKey)),
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: version === undefined ? 'attribute_not_exists(version)' : 'version = :version',
        ExpressionAttributeValues: toItem({
          ':store': storeId,
          ':customer': customerKey,
          ':pending': next.pending ?? [],
          ':lastSentOf': next.lastSentOf ?? {},
          ':next': (version ?? 0) + 1,
          ...(version === undefined ? {} : { ':version': version }),
          ...(next.lastSentAt === undefined ? {} : { ':lastSentAt': next.lastSentAt }),
          ...(next.lastSentKey === undefined ? {} : { ':lastSentKey': next.lastSentKey }),
          ...storeIndex(storeId, customerKey),
        }),
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Gives the slot back when the send it was taken for did not happen (SES refused, composing failed). */
export async function releaseSendSlot(
  storeId: string,
  customerKey: string,
  sendKey: string,
  previous: Pick<CapState, 'lastSentAt' | 'lastSentOf'> | undefined,
): Promise<void> {
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const profile = await getProfile(storeId, customerKey);
    if (profile?.lastSentKey !== sendKey) return;
    const next: CapState = {
      ...profile,
      lastSentKey: undefined,
      lastSentAt: previous?.lastSentAt,
      lastSentOf: previous?.lastSentOf ?? {},
    } as CapState;
    if (await writeCapState(storeId, customerKey, profile.version, next)) return;
  }
}

export async function deleteProfile(storeId: string, customerKey: string): Promise<void> {
  await dynamoClient().send(
    new DeleteItemCommand({ TableName: tableName(), Key: toItem(keys.customer(storeId, customerKey)) }),
  );
}

export async function suppress(email: string, reason: 'bounce' | 'complaint', now: string): Promise<void> {
  // Stored by hash only: the suppression list holds no address.
  await dynamoClient().send(
    new PutItemCommand({ TableName: tableName(), Item: toItem({ ...keys.suppressed(email), reason, at: now }) }),
  );
}

/** Profiles are listed under their store (GSI2) so a shop redact can find them without a scan. */
function storeIndex(storeId: string, customerKey: string) {
  return { ':storeIndex': keys.storeIndex(storeId), ':customerIndex': `CUSTOMER#${customerKey}` };
}
