import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export interface StreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: '1.1';
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  eventSourceARN: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Record<string, AttributeValue>;
    NewImage?: Record<string, AttributeValue>;
    OldImage?: Record<string, AttributeValue>;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: 'NEW_AND_OLD_IMAGES';
  };
}

export type StreamConsumer = (
  records: StreamRecord[],
) => Promise<{ batchItemFailures?: { itemIdentifier?: string | null }[] } | null | undefined>;

/** The event source mapping settings the local stream honours (infra/functions.ts `applyStreamMapping`). */
export interface MappingSettings {
  batchSize: number;
  bisectBatchOnError: boolean;
  reportBatchItemFailures: boolean;
  retryAttempts: number;
  maxRecordAgeSeconds: number;
}

/**
 * What Lambda sends to the on-failure destination when it discards stream records: metadata only, no payload.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html
 */
export interface OnFailureRecord {
  version: '1.0';
  timestamp: string;
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
    approximateInvokeCount: number;
  };
  responseContext: { statusCode: number; executedVersion: '$LATEST'; functionError?: 'Unhandled' };
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
}

interface Entry {
  record: StreamRecord;
  /** Virtual ms when the record entered the stream (MaximumRecordAgeInSeconds counts from here). */
  arrivedAt: number;
}

type Outcome = { kind: 'success' } | { kind: 'partial'; from: number } | { kind: 'error'; throttled: boolean };

/**
 * One shard of a table stream read by a Lambda event source mapping, with its documented semantics
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html): batches of up to
 * `batchSize` in shard order; a thrown error bisects the batch (no retry consumed) down to one record, then
 * retries it; a partial batch response checkpoints before the lowest reported record and retries from there (the
 * records after it too); after `retryAttempts` retries, or once a record is older than `maxRecordAgeSeconds` on the
 * virtual clock, the records are discarded and one metadata-only record goes to `onFailureQueue`. A throttled
 * invocation (TooManyRequestsException) is retried without consuming a retry, until the records expire.
 */
export class LocalStreamMapping {
  private queue: Entry[] = [];
  private delivering: Promise<void> | undefined;
  private paused = false;

  constructor(
    private readonly settings: MappingSettings,
    private readonly consumer: StreamConsumer,
    private readonly context: {
      now: () => number;
      /** Stops virtual time during a retry's back-off (retries cost AWS seconds, not virtual days). */
      hold?: () => () => void;
      functionArn: string;
      streamArn: string;
      shardId: string;
      backoffMs?: number;
      /** The stack's on-failure SQS queue of the mapping: receives the metadata of discarded records. */
      onFailureQueue: OnFailureRecord[];
    },
  ) {}

  push(record: StreamRecord): void {
    this.queue.push({ record, arrivedAt: this.context.now() });
    this.schedule();
  }

  /** Like disabling the mapping (`Enabled: false`): records wait in the stream until the returned resume. */
  pause(): () => void {
    this.paused = true;
    return () => {
      this.paused = false;
      this.schedule();
    };
  }

  busy(): boolean {
    return this.delivering !== undefined || (this.queue.length > 0 && !this.paused);
  }

  private schedule(): void {
    if (this.delivering || this.paused) return;
    // Delivery starts after the current write's records are all in (they may share a batch).
    this.delivering = Promise.resolve()
      .then(() => this.deliver())
      .finally(() => {
        this.delivering = undefined;
        if (this.queue.length > 0) this.schedule();
      });
  }

  /** Resolves when the current delivery run ends. */
  async idle(): Promise<void> {
    await this.delivering;
  }

  private async deliver(): Promise<void> {
    while (this.queue.length > 0 && !this.paused) await this.process(this.queue.slice(0, this.settings.batchSize), 0);
  }

  /** Delivers `batch` (the head of the shard) until it is checkpointed or discarded. */
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: Lambda's documented retry loop for one shard (invoke, partial failure, bisect, retry, discard to the on-failure queue), kept as one loop to read against the AWS page
  private async process(initial: Entry[], initialRetries: number): Promise<void> {
    let batch = initial;
    let retries = initialRetries;
    let invokes = 0;
    let last: Outcome | undefined;
    for (;;) {
      const maxAgeMs = this.settings.maxRecordAgeSeconds * 1000;
      const expired = batch.findLastIndex((entry) => this.context.now() - entry.arrivedAt > maxAgeMs) + 1;
      if (expired > 0) {
        this.discard(batch.slice(0, expired), 'RecordAgeExceeded', invokes, last);
        batch = batch.slice(expired);
        if (batch.length === 0) return;
      }
      last = await this.invoke(batch);
      invokes += 1;
      if (last.kind === 'success') return this.checkpoint(batch.length);
      if (last.kind === 'partial') {
        this.checkpoint(last.from);
        batch = batch.slice(last.from);
        retries += 1;
      } else if (last.throttled) {
        // Before the invocation: retried until the records expire, no retry consumed.
      } else if (this.settings.bisectBatchOnError && batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        await this.process(batch.slice(0, half), retries);
        return this.process(batch.slice(half), retries);
      } else {
        retries += 1;
      }
      if (retries > this.settings.retryAttempts) return this.discard(batch, 'RetryAttemptsExhausted', invokes, last);
      await this.backoff(invokes);
    }
  }

  private async invoke(batch: Entry[]): Promise<Outcome> {
    try {
      const response = await this.consumer(structuredClone(batch.map((entry) => entry.record)));
      const failures = this.settings.reportBatchItemFailures ? (response?.batchItemFailures ?? []) : [];
      if (failures.length === 0) return { kind: 'success' };
      const positions = failures.map((failure) =>
        batch.findIndex((entry) => entry.record.dynamodb.SequenceNumber === failure.itemIdentifier),
      );
      // An empty, null or unknown itemIdentifier makes the whole batch a failure (documented).
      if (positions.some((position) => position < 0)) return { kind: 'partial', from: 0 };
      return { kind: 'partial', from: Math.min(...positions) };
    } catch (error) {
      return { kind: 'error', throttled: (error as Error).name === 'TooManyRequestsException' };
    }
  }

  private checkpoint(count: number): void {
    this.queue.splice(0, count);
  }

  private discard(
    batch: Entry[],
    condition: OnFailureRecord['requestContext']['condition'],
    invokes: number,
    last?: Outcome,
  ) {
    const first = batch[0] as Entry;
    const final = batch.at(-1) as Entry;
    const arrival = (entry: Entry) => new Date(entry.record.dynamodb.ApproximateCreationDateTime * 1000).toISOString();
    this.context.onFailureQueue.push({
      version: '1.0',
      timestamp: new Date(this.context.now()).toISOString(),
      requestContext: {
        requestId: crypto.randomUUID(),
        functionArn: this.context.functionArn,
        condition,
        approximateInvokeCount: invokes,
      },
      responseContext: {
        statusCode: last?.kind === 'error' && last.throttled ? 429 : 200,
        executedVersion: '$LATEST',
        ...(last?.kind === 'error' && !last.throttled ? { functionError: 'Unhandled' as const } : {}),
      },
      DDBStreamBatchInfo: {
        shardId: this.context.shardId,
        startSequenceNumber: first.record.dynamodb.SequenceNumber,
        endSequenceNumber: final.record.dynamodb.SequenceNumber,
        approximateArrivalOfFirstRecord: arrival(first),
        approximateArrivalOfLastRecord: arrival(final),
        batchSize: batch.length,
        streamArn: this.context.streamArn,
      },
    });
    this.checkpoint(batch.length);
  }

  private async backoff(invokes: number): Promise<void> {
    const release = this.context.hold?.();
    try {
      const base = this.context.backoffMs ?? 10;
      await new Promise((resolve) => setTimeout(resolve, Math.min(base * 2 ** invokes, 500)));
    } finally {
      release?.();
    }
  }
}
