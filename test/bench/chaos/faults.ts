import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { SdkClient, SdkService } from '../../../functions/shared/clients.ts';
import type { FunctionName } from '../../../infra/functions.ts';
import { splitBatchGet, splitBatchWrite } from '../../../local-cloud/dynamodb-requests.ts';
import { currentCaller } from '../../../local-cloud/iam.ts';
import { seededRandom } from '../../../ops/simulate/random.ts';

/** A transient error as the service's wire protocol carries it, so the SDK's own parser and retry strategy see it. */
interface Fault {
  statusCode: number;
  type: string;
}

// AWS JSON 1.0 (DynamoDB, Step Functions) names the error in `__type`; REST JSON (SES v2) in x-amzn-errortype.
const FAULTS: Record<SdkService, Fault[]> = {
  dynamodb: [
    { statusCode: 400, type: 'ProvisionedThroughputExceededException' },
    { statusCode: 400, type: 'ThrottlingException' },
    { statusCode: 500, type: 'InternalServerError' },
  ],
  ses: [
    { statusCode: 429, type: 'TooManyRequestsException' },
    { statusCode: 500, type: 'InternalFailure' },
    { statusCode: 503, type: 'ServiceUnavailable' },
  ],
  states: [
    { statusCode: 400, type: 'ThrottlingException' },
    { statusCode: 500, type: 'InternalFailure' },
  ],
};

/** Batch calls DynamoDB may answer in part: half the batch is done, the rest comes back to the caller. */
const PARTIAL_BATCHES: Record<
  string,
  {
    field: 'UnprocessedKeys' | 'UnprocessedItems';
    split: (input: Record<string, unknown>) => ReturnType<typeof splitBatchGet>;
  }
> = {
  BatchGetItemCommand: { field: 'UnprocessedKeys', split: splitBatchGet },
  BatchWriteItemCommand: { field: 'UnprocessedItems', split: splitBatchWrite as never },
};

/** Two batches' unprocessed parts as one, table by table (a BatchGetItem's Keys lists, a BatchWriteItem's writes). */
function joined(answered: unknown, held: Record<string, unknown>): Record<string, unknown> {
  const all: Record<string, unknown> = { ...(answered as Record<string, unknown> | undefined) };
  for (const [table, part] of Object.entries(held)) {
    const before = all[table];
    if (before === undefined) all[table] = part;
    else if (Array.isArray(before)) all[table] = [...before, ...(part as unknown[])];
    else {
      const read = before as { Keys?: unknown[] };
      all[table] = { ...read, Keys: [...(read.Keys ?? []), ...((part as { Keys?: unknown[] }).Keys ?? [])] };
    }
  }
  return all;
}

/** Functions whose invoker retries a 429 (Step Functions' Retry, the stream's event source mapping, the store). */
const THROTTLED_FUNCTIONS = new Set<FunctionName>(['step', 'apply', 'webhook']);

export interface FaultCounts {
  calls: number;
  faults: Record<string, number>;
}

/**
 * Seeded transient faults on every AWS call a function makes (the operator's own reads are spared, like IAM's
 * check): injected as HTTP responses below the SDK's retry middleware, so each attempt may fail again.
 */
export function faultInjector(seed: number, rate: number) {
  const random = seededRandom(seed ^ 0x5eed);
  const counts: FaultCounts = { calls: 0, faults: {} };
  let enabled = true;
  const count = (name: string) => {
    counts.faults[name] = (counts.faults[name] ?? 0) + 1;
  };
  return {
    counts,
    /** The checker reads the table afterwards without faults. */
    disable() {
      enabled = false;
    },
    /** For `startLocalCloud({ onClient })`. */
    onClient(service: SdkService, client: SdkClient) {
      fasterBackoff(client);
      (client.middlewareStack as DynamoDBClient['middlewareStack']).add(
        (next) => async (args) => {
          if (!enabled || !currentCaller()) return next(args);
          counts.calls += 1;
          if (!random.chance(rate)) return next(args);
          const fault = random.pick(FAULTS[service]);
          count(`${service} ${fault.type}`);
          return { response: faultResponse(service, fault), output: {} as never };
        },
        { step: 'deserialize', priority: 'low', name: 'chaosFaultMiddleware' },
      );
      if (service !== 'dynamodb') return;
      // A throttled table may also answer a batch in part (HTTP 200): the caller, not the SDK, asks for the rest.
      type Next = (args: { input: object }) => Promise<{ output: object }>;
      const partial = (next: Next, context: { commandName?: string }) => async (args: { input: object }) => {
        const batch = PARTIAL_BATCHES[context.commandName ?? ''];
        if (!batch || !enabled || !currentCaller() || !random.chance(rate)) return next(args);
        count(`dynamodb ${batch.field}`);
        const input = args.input as Record<string, unknown>;
        const split = batch.split(input);
        const output: Record<string, unknown> = Object.keys(split.processed).length
          ? ((await next({ ...args, input: { ...input, RequestItems: split.processed } })).output as Record<
              string,
              unknown
            >)
          : { ...(batch.field === 'UnprocessedKeys' ? { Responses: {} } : {}), $metadata: {} };
        return { output: { ...output, [batch.field]: joined(output[batch.field], split.unprocessed) } };
      };
      (client.middlewareStack as DynamoDBClient['middlewareStack']).add(partial as never, {
        step: 'initialize',
        name: 'chaosPartialBatchMiddleware',
      });
    },
    /** For `lambdaLimits.throttle`: Lambda's 429 before the function runs. */
    throttle(name: FunctionName): boolean {
      if (!enabled || !THROTTLED_FUNCTIONS.has(name) || !random.chance(rate)) return false;
      count(`lambda ${name} TooManyRequestsException`);
      return true;
    },
  };
}

function faultResponse(service: SdkService, fault: Fault) {
  const restJson = service === 'ses';
  const message = `Injected by bench:chaos: ${fault.type}`;
  return {
    statusCode: fault.statusCode,
    reason: fault.type,
    headers: {
      'content-type': restJson ? 'application/json' : 'application/x-amz-json-1.0',
      'x-amzn-errortype': fault.type,
      'x-amzn-requestid': crypto.randomUUID(),
    },
    body: Buffer.from(
      JSON.stringify(restJson ? { message } : { __type: `com.amazonaws.${service}#${fault.type}`, message }),
    ),
  };
}

/** The SDK's standard strategy (token bucket, retryable errors) keeps deciding; only its real-time sleeps shrink. */
const BACKOFF_SHARE = 1 / 100;

/**
 * The SDK sleeps up to 20 s of real time between attempts (100 ms × 2^n, 500 ms base for throttling); at 10 %
 * faults those sleeps, not the product, would be the run. Virtual time is what the product sees, so nothing changes.
 */
function fasterBackoff(client: SdkClient): void {
  const config = client.config as unknown as { maxAttempts: () => Promise<number>; retryStrategy: unknown };
  const strategy = new ConfiguredRetryStrategy(
    config.maxAttempts,
    (attempt) => Math.random() * Math.min(20_000, 2 ** attempt * 500) * BACKOFF_SHARE,
  );
  config.retryStrategy = async () => strategy;
}
