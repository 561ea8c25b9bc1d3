import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoClient } from '../../functions/shared/clients.ts';
import { getItems, tableName, toItem } from '../../functions/shared/store/table.ts';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { startTestCloud } from '../support/local.ts';

// A step's wake reads its decision, purchase and survey answer in one BatchGetItem, and the profile and suppression
// in another. DynamoDB may answer part of a batch and return the rest as UnprocessedKeys (HTTP 200, no error):
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html. A caller that took the
// partial answer as the whole would see a purchase as missing, or a suppressed address as deliverable.

const key = (order: string, sk: string) => ({ PK: `PURCHASE#demo#${order}`, SK: sk });

async function put(order: string, sk: string, value: string) {
  await dynamoClient().send(new PutItemCommand({ TableName: tableName(), Item: toItem({ ...key(order, sk), value }) }));
}

describe('several items in one BatchGetItem', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud({ timeScale: 1 });
    await put('bg-1', 'PURCHASE', 'the purchase');
    await put('bg-1', 'SURVEY', 'the answer');
    await put('bg-1', 'STEP#follow-up#thanks', 'the decision');
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('answers each name with its item, leaves out missing items and unasked names, and reads a key asked twice once', async () => {
    // Act
    const found = await getItems({
      record: key('bg-1', 'PURCHASE'),
      again: key('bg-1', 'PURCHASE'),
      survey: key('bg-1', 'SURVEY'),
      missing: key('bg-1', 'STEP#follow-up#nothing'),
      unasked: undefined,
    });
    // Assess
    expect(Object.fromEntries(Object.entries(found).map(([name, item]) => [name, item?.value]))).toEqual({
      record: 'the purchase',
      again: 'the purchase',
      survey: 'the answer',
    });
  });

  it('asks again for the keys DynamoDB left unprocessed, until every item is answered', async () => {
    // Prepare: three partial answers in a row (each reads half of what is left)
    cloud.dynamodb.injectUnprocessedKeys(3, 'PURCHASE#demo#bg-1');
    // Act
    const found = await getItems({
      record: key('bg-1', 'PURCHASE'),
      survey: key('bg-1', 'SURVEY'),
      previous: key('bg-1', 'STEP#follow-up#thanks'),
    });
    // Assess
    expect(cloud.dynamodb.faultsLeft()).toBe(0);
    expect([found.record?.value, found.survey?.value, found.previous?.value]).toEqual([
      'the purchase',
      'the answer',
      'the decision',
    ]);
  });

  it('throws rather than answer a batch that stays unprocessed, so the wake is retried whole', async () => {
    // Prepare: every attempt answered in part, the last ones not at all
    cloud.dynamodb.injectUnprocessedKeys(6, 'PURCHASE#demo#bg-1');
    // Act
    const read = getItems({ record: key('bg-1', 'PURCHASE'), survey: key('bg-1', 'SURVEY') });
    // Assess
    await expect(read).rejects.toThrow(/BatchGetItem left 1 keys unprocessed after 6 attempts/);
    expect(cloud.dynamodb.faultsLeft()).toBe(0);
  });
});
