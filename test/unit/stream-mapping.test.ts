import { describe, expect, it } from 'vitest';
import { applyStreamMapping } from '../../infra/functions.ts';
import {
  LocalStreamMapping,
  type OnFailureRecord,
  type StreamConsumer,
  type StreamRecord,
} from '../../local-cloud/stream-mapping.ts';

// The documented semantics of a DynamoDB stream event source mapping:
// https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html (partial batch response)
// https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html (bisect, retries, on-failure record)

const sequence = (n: number) => String(n).padStart(21, '0');

function record(n: number): StreamRecord {
  return {
    eventID: String(n),
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/label',
    dynamodb: {
      ApproximateCreationDateTime: 1_800_000_000,
      Keys: { PK: { S: `PURCHASE#demo#order-${n}` }, SK: { S: 'EVENT#generic#1' } },
      NewImage: { PK: { S: `PURCHASE#demo#order-${n}` }, SK: { S: 'EVENT#generic#1' } },
      SequenceNumber: sequence(n),
      SizeBytes: 100,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

/** A mapping with the deployed settings around `consumer`; `batches` lists each invocation's record numbers. */
function mappingWith(consumer: (numbers: number[]) => ReturnType<StreamConsumer>, clock = { now: 0 }) {
  const batches: number[][] = [];
  const onFailureQueue: OnFailureRecord[] = [];
  const mapping = new LocalStreamMapping(
    applyStreamMapping,
    (records) => {
      const numbers = records.map((r) => Number(r.dynamodb.SequenceNumber));
      batches.push(numbers);
      return consumer(numbers);
    },
    {
      now: () => clock.now,
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:aftercare-apply',
      streamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/label',
      shardId: 'shardId-1',
      backoffMs: 1,
      onFailureQueue,
    },
  );
  const write = async (...numbers: number[]) => {
    for (const n of numbers) mapping.push(record(n));
    while (mapping.busy()) await mapping.idle();
  };
  return { batches, onFailureQueue, write, mapping };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('the local table stream → apply mapping', () => {
  it('delivers records in shard order, in batches of at most the deployed batch size', async () => {
    // Prepare
    const { batches, write } = mappingWith(async () => ({ batchItemFailures: [] }));
    // Act
    await write(...range(1, 30));
    // Assess
    expect(batches).toEqual([range(1, 25), range(26, 30)]);
  });

  it('bisects a batch whose invocation throws until the poison record is alone, then parks only its metadata after the retries', async () => {
    // Prepare
    const { batches, onFailureQueue, write } = mappingWith(async (numbers) => {
      if (numbers.includes(6)) throw new Error('poison');
      return undefined;
    });
    // Act
    await write(...range(1, 8));
    // Assess
    expect(batches.slice(0, 5)).toEqual([range(1, 8), range(1, 4), range(5, 8), [5, 6], [5]]);
    expect(batches.filter((b) => b.length === 1 && b[0] === 6)).toHaveLength(1 + applyStreamMapping.retryAttempts);
    expect(batches.at(-1)).toEqual([7, 8]);
    expect(onFailureQueue).toHaveLength(1);
    expect(onFailureQueue[0]).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 6 },
      responseContext: { statusCode: 200, functionError: 'Unhandled' },
      DDBStreamBatchInfo: {
        shardId: 'shardId-1',
        startSequenceNumber: sequence(6),
        endSequenceNumber: sequence(6),
        batchSize: 1,
      },
    });
    expect(Object.keys(onFailureQueue[0] ?? {}).sort()).toEqual([
      'DDBStreamBatchInfo',
      'requestContext',
      'responseContext',
      'timestamp',
      'version',
    ]); // metadata only: no payload
  });

  it('retries from the lowest reported record of a partial batch response, re-delivering the records after it', async () => {
    // Prepare
    let calls = 0;
    const { batches, onFailureQueue, write } = mappingWith(async () => {
      calls += 1;
      return calls === 1
        ? { batchItemFailures: [{ itemIdentifier: sequence(5) }, { itemIdentifier: sequence(3) }] }
        : {};
    });
    // Act
    await write(...range(1, 6));
    // Assess
    expect(batches).toEqual([range(1, 6), range(3, 6)]);
    expect(onFailureQueue).toEqual([]);
  });

  it('treats a partial response naming no record of the batch as a failure of the whole batch', async () => {
    // Prepare
    let calls = 0;
    const { batches, write } = mappingWith(async () => {
      calls += 1;
      return calls === 1 ? { batchItemFailures: [{ itemIdentifier: '' }] } : null;
    });
    // Act
    await write(1, 2, 3);
    // Assess
    expect(batches).toEqual([range(1, 3), range(1, 3)]);
  });

  it('discards a batch that keeps reporting its first record after the retries: one on-failure record covers the whole rest', async () => {
    // Prepare
    const { batches, onFailureQueue, write } = mappingWith(async (numbers) =>
      numbers.includes(2) ? { batchItemFailures: [{ itemIdentifier: sequence(2) }] } : {},
    );
    // Act
    await write(1, 2, 3, 4);
    await write(5);
    // Assess
    expect(batches).toEqual([range(1, 4), ...Array(5).fill(range(2, 4)), [5]]);
    expect(onFailureQueue.map((r) => r.DDBStreamBatchInfo)).toMatchObject([
      { startSequenceNumber: sequence(2), endSequenceNumber: sequence(4), batchSize: 3 },
    ]);
  });

  it('discards records older than the maximum record age on the virtual clock', async () => {
    // Prepare: the first attempt fails, and a day and a second pass before the retry.
    const clock = { now: 0 };
    const { batches, onFailureQueue, write } = mappingWith(async () => {
      clock.now += (applyStreamMapping.maxRecordAgeSeconds + 1) * 1000;
      throw new Error('down');
    }, clock);
    // Act
    await write(1);
    // Assess
    expect(batches).toEqual([[1]]);
    expect(onFailureQueue.map((r) => r.requestContext)).toMatchObject([
      { condition: 'RecordAgeExceeded', approximateInvokeCount: 1 },
    ]);
  });

  it('retries a throttled invocation without using up the retries', async () => {
    // Prepare: Lambda answers TooManyRequestsException more often than the retry attempts, then runs the function.
    let throttles = applyStreamMapping.retryAttempts + 3;
    const { batches, onFailureQueue, write } = mappingWith(async () => {
      if (throttles-- > 0) throw Object.assign(new Error('Rate Exceeded.'), { name: 'TooManyRequestsException' });
      return {};
    });
    // Act
    await write(1, 2);
    // Assess
    expect(batches).toHaveLength(applyStreamMapping.retryAttempts + 4);
    expect(onFailureQueue).toEqual([]);
  });
});
