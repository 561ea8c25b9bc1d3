import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimWakeSecond } from '../../functions/shared/store/wake-slots.ts';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { PARTITION_WRITE_UNITS_PER_SECOND } from '../../local-cloud/dynamodb-requests.ts';
import { startTestCloud } from '../support/local.ts';

// DynamoDB serves at most 1,000 write units a second per partition, on-demand tables included; beyond it a write
// is refused with ProvisionedThroughputExceededException, reason TableWriteKeyRangeThroughputExceeded
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/throttling-key-range-limit-exceeded-mitigation.html,
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ThrottlingReason.html).
describe('the local DynamoDB’s partition write limit', () => {
  let cloud: LocalCloud;
  let client: DynamoDBClient;
  beforeAll(async () => {
    // A virtual second lasts 1,000 real seconds: every write below falls in the same one.
    cloud = await startTestCloud({ timeScale: 0.001, startAt: Date.parse('2030-01-01T00:00:00Z') });
    client = new DynamoDBClient({ maxAttempts: 1 });
  });
  afterAll(async () => {
    client?.destroy();
    await cloud?.stop();
  });

  const bump = (pk: string) =>
    client.send(
      new UpdateItemCommand({
        TableName: process.env.AFTERCARE_TABLE ?? 'aftercare',
        Key: { PK: { S: pk }, SK: { S: 'HOT' } },
        UpdateExpression: 'ADD hits :one',
        ExpressionAttributeValues: { ':one': { N: '1' } },
      }),
    );

  it('refuses the 1,001st write to one partition key in a second, and serves another key', async () => {
    for (let n = 0; n < PARTITION_WRITE_UNITS_PER_SECOND; n += 1) await bump('HOT#one');
    const refused = await bump('HOT#one').catch((error: Error & { ThrottlingReasons?: unknown }) => error);
    expect((refused as Error).name).toBe('ProvisionedThroughputExceededException');
    expect((refused as { ThrottlingReasons?: { reason: string }[] }).ThrottlingReasons?.[0]?.reason).toBe(
      'TableWriteKeyRangeThroughputExceeded',
    );
    await expect(bump('HOT#other')).resolves.toBeDefined();
  });

  it('gives each wake second at most its bound and moves the rest to the following seconds', async () => {
    const second = Date.parse('2030-01-02T08:00:00Z');
    const claimed = [];
    for (let n = 0; n < 25; n += 1) claimed.push(await claimWakeSecond(second, 10));
    expect(claimed.filter((at) => at === second)).toHaveLength(10);
    expect(claimed.filter((at) => at === second + 1000)).toHaveLength(10);
    expect(claimed.filter((at) => at === second + 2000)).toHaveLength(5);
  });
});
