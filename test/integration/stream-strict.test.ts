import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyStreamMapping } from '../../infra/functions.ts';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { runCli } from '../../ops/cli.ts';
import { bufferIo } from '../../ops/command.ts';
import { purchase, startTestCloud, tableItems } from '../support/local.ts';

// A poison record among healthy batch-mates, with the deployed mapping (bisect, partial batch response, 5 retries,
// on-failure queue): https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html and
// https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html

/** An EVENT# item the apply function cannot read (a purchase without its fields), written as the webhook would. */
async function storePoisonEvent(orderId: string): Promise<void> {
  const client = new DynamoDBClient({});
  try {
    await client.send(
      new PutItemCommand({
        TableName: process.env.AFTERCARE_TABLE ?? 'aftercare',
        Item: marshall({
          PK: `PURCHASE#demo#${orderId}`,
          SK: `EVENT#generic#${orderId}`,
          storeId: 'demo',
          platform: 'generic',
          orderId,
          eventId: orderId,
          topic: 'order.created',
          occurredAt: '2026-12-01T10:00:00Z',
          receivedAt: '2026-12-01T10:00:00Z',
          event: { kind: 'purchase', purchase: { orderId } },
        }),
      }),
    );
  } finally {
    client.destroy();
  }
}

describe('a poison webhook event on the table stream', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud();
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('lets its batch-mates become purchases, stays in the table, and leaves one metadata record on the on-failure queue after the retries', async () => {
    // Prepare: the five events wait in the stream (mapping disabled) so that they reach apply as one batch.
    const resume = cloud.dynamodb.pauseStream();
    const before = [await purchase(cloud), await purchase(cloud)];
    await storePoisonEvent('poison-1');
    const after = [await purchase(cloud), await purchase(cloud)];
    await cloud.dynamodb.drained(5_000); // every write's stream record is in (and held back)
    // Act
    resume();
    await cloud.dynamodb.drained(30_000);
    // Assess
    const items = await tableItems();
    const purchases = items.filter((item) => item.SK === 'PURCHASE').map((item) => item.orderId);
    expect(purchases).toEqual(expect.arrayContaining([...before, ...after]));
    expect(purchases).not.toContain('poison-1');
    const poison = items.find((item) => item.SK === 'EVENT#generic#poison-1');
    expect(poison).toMatchObject({ applyFailures: 1 + applyStreamMapping.retryAttempts, applyError: 'ZodError' });
    expect(cloud.dynamodb.onFailureQueue).toHaveLength(1);
    const [parked] = cloud.dynamodb.onFailureQueue;
    expect(parked?.requestContext).toMatchObject({
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 1 + applyStreamMapping.retryAttempts,
    });
    // Retried from the poison record: it and the records after it are what the mapping discarded.
    expect(parked?.DDBStreamBatchInfo).toMatchObject({
      startSequenceNumber: poison?.applySequenceNumber,
      batchSize: 1 + after.length,
    });
    expect(JSON.stringify(parked)).not.toContain('poison-1'); // metadata only, no payload
  });

  it('shows the operator, in why, the event that could not be applied and the sequence number of its parked record', async () => {
    // Prepare
    await storePoisonEvent('poison-2');
    await cloud.dynamodb.drained(30_000);
    const io = bufferIo();
    // Act
    const code = await runCli(['why', '--store', 'demo', '--order', 'poison-2'], io);
    // Assess
    expect(code).toBe(1);
    expect(io.stdout).toContain('generic#poison-2 (order.created): ZodError, 6 attempts');
    expect(io.stdout).toContain(
      `stream sequence number ${cloud.dynamodb.onFailureQueue.at(-1)?.DDBStreamBatchInfo.startSequenceNumber}`,
    );
  });
});
