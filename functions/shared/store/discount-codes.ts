import { type AttributeValue, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../clients.ts';
import { keys } from './keys.ts';
import { fromItem, getItem, isConditionFailure, tableName, toItem } from './table.ts';

/**
 * The pools of single-use discount codes (one per store × offer SKU), imported by the operator, claimed one per
 * send. Single-item conditional writes only (dynalite has no transactions): a code is claimed by a conditional
 * update that takes it out of the sparse GSI1 partition of free codes; the send's claim item makes a retry of the
 * same send get the same code.
 */
export interface DiscountCodeItem {
  code: string;
  storeId: string;
  offerSku: string;
  importedAt: string;
  claimedBy?: string;
  claimedAt?: string;
}

interface CodeClaim {
  code: string;
  claimedAt: string;
}

/** One send of a purchase's step: what a claim is keyed by. */
export interface CodeSend {
  storeId: string;
  orderId: string;
  sequence: string;
  step: string;
}

/** Adds one code to the pool; `known` when it was imported before (re-importing a file changes nothing). */
export async function addDiscountCode(
  storeId: string,
  offerSku: string,
  code: string,
  importedAt: string,
): Promise<'added' | 'known'> {
  try {
    await dynamoClient().send(
      new PutItemCommand({
        TableName: tableName(),
        Item: toItem({
          ...keys.discountCode(storeId, offerSku, code),
          GSI1PK: keys.freeCodesIndex(storeId, offerSku),
          GSI1SK: code,
          code,
          storeId,
          offerSku,
          importedAt,
        } satisfies DiscountCodeItem & Record<string, string>),
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return 'added';
  } catch (error) {
    if (isConditionFailure(error)) return 'known';
    throw error;
  }
}

/** How many codes of the pool are still free (a count over the sparse index, page by page). */
export async function remainingDiscountCodes(storeId: string, offerSku: string): Promise<number> {
  let remaining = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamoClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pool',
        ExpressionAttributeValues: toItem({ ':pool': keys.freeCodesIndex(storeId, offerSku) }),
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    remaining += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return remaining;
}

/** Candidates read per query; the index is eventually consistent, so some may already be taken. */
const CANDIDATES = 10;
const ROUNDS = 5;

export class DiscountCodeContentionError extends Error {
  override name = 'DiscountCodeContentionError';
}

/**
 * The code this send uses: the one it claimed before (a retry), or a free code claimed now; undefined when the pool
 * is empty. Two sends never get the same code: the claim is a conditional update of the code item.
 */
export async function claimDiscountCode(send: CodeSend, offerSku: string, now: string): Promise<string | undefined> {
  const claimKey = keys.codeClaim(send.storeId, send.orderId, send.sequence, send.step);
  const previous = await getItem<CodeClaim>(claimKey);
  if (previous) return previous.code;
  const sendKey = keys.sendKey(send.storeId, send.orderId, send.sequence, send.step);
  for (let round = 0; round < ROUNDS; round += 1) {
    const free = await freeCodes(send.storeId, offerSku);
    // Empty: unless a concurrent attempt of this same send claimed the last code meanwhile.
    if (free.length === 0) return (await getItem<CodeClaim>(claimKey))?.code;
    for (const code of free) {
      if (!(await takeCode(send.storeId, offerSku, code, sendKey, now))) continue;
      return recordClaim(claimKey, send.storeId, offerSku, code, now);
    }
  }
  // Every candidate was taken by concurrent sends: the step's retry tries again.
  throw new DiscountCodeContentionError(`no free code of ${offerSku} could be claimed after ${ROUNDS} rounds`);
}

async function freeCodes(storeId: string, offerSku: string): Promise<string[]> {
  const page = await dynamoClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pool',
      ExpressionAttributeValues: toItem({ ':pool': keys.freeCodesIndex(storeId, offerSku) }),
      Limit: CANDIDATES,
    }),
  );
  return (page.Items ?? []).map((item) => fromItem<DiscountCodeItem>(item)?.code ?? '').filter(Boolean);
}

/** Takes a free code for `sendKey`: false when another send took it first. */
async function takeCode(storeId: string, offerSku: string, code: string, sendKey: string, now: string) {
  try {
    await dynamoClient().send(
      new UpdateItemCommand({
        TableName: tableName(),
        Key: toItem(keys.discountCode(storeId, offerSku, code)),
        UpdateExpression: 'SET claimedBy = :send, claimedAt = :now REMOVE GSI1PK, GSI1SK',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(claimedBy)',
        ExpressionAttributeValues: toItem({ ':send': sendKey, ':now': now }),
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * Records which code the send claimed. If the same send claimed concurrently and recorded first, its code wins and
 * ours goes back to the pool.
 */
async function recordClaim(
  claimKey: { PK: string; SK: string },
  storeId: string,
  offerSku: string,
  code: string,
  now: string,
): Promise<string> {
  try {
    await dynamoClient().send(
      new PutItemCommand({
        TableName: tableName(),
        Item: toItem({ ...claimKey, code, offerSku, claimedAt: now }),
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return code;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const winner = await getItem<CodeClaim>(claimKey);
    await dynamoClient().send(
      new UpdateItemCommand({
        TableName: tableName(),
        Key: toItem(keys.discountCode(storeId, offerSku, code)),
        UpdateExpression: 'SET GSI1PK = :pool, GSI1SK = :code REMOVE claimedBy, claimedAt',
        ExpressionAttributeValues: toItem({ ':pool': keys.freeCodesIndex(storeId, offerSku), ':code': code }),
      }),
    );
    if (!winner) throw error;
    return winner.code;
  }
}
