import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'aws-lambda';
import { errorFacts, logger } from '../functions/shared/logger.ts';
import { parseSettings } from '../infra/aws/settings.ts';
import { type FunctionName, functionDescriptors, functionNames } from '../infra/functions.ts';
import { workflows } from '../infra/workflows.ts';
import { asCaller, asPrincipal, deployedFunctionName } from './iam.ts';
import { PerSecond } from './observations.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/** Counts invocations per function, for benchmarks ("Lambda invocations per purchase"). */
export const invocations: Record<string, number> = {};
/** Real milliseconds spent per function (sum), for benchmarks. */
export const invocationMs: Record<string, number> = {};

const loaded = new Map<FunctionName, Promise<LambdaHandler>>();
const running = new Set<Promise<unknown>>();
let holdClock: () => () => void = () => () => undefined;
/** Grows with every invocation started: the local cloud compares it to tell "idle" from "between two steps". */
export let activity = 0;

export function runningInvocations(): number {
  return running.size;
}

/**
 * Work the Lambda service does around an invocation (the caller's IAM check) counts as running: fastForward must not
 * mistake a Task waiting for its authorisation for an idle cloud and move the clock under it.
 */
export function tracked<T>(work: () => Promise<T>): Promise<T> {
  activity += 1;
  const promise = work();
  running.add(promise);
  return promise.finally(() => running.delete(promise));
}

/** The local cloud stops virtual time while a function runs (see VirtualClock.hold). */
export function setClockHold(hold: () => () => void): void {
  holdClock = hold;
}

/** Resolves when no invocation is in flight (or after `timeoutMs`): the local cloud stops only after this. */
export async function invocationsSettled(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (running.size > 0 && Date.now() < deadline) {
    await Promise.race([Promise.allSettled([...running]), new Promise((resolve) => setTimeout(resolve, 50))]);
  }
}

/** Imports the same module CDK bundles and returns its exported `handler`. */
function load(name: FunctionName): Promise<LambdaHandler> {
  let handler = loaded.get(name);
  if (!handler) {
    handler = import(join(root, functionDescriptors[name].entry)).then((module: { handler: LambdaHandler }) => {
      if (typeof module.handler !== 'function')
        throw new Error(`${functionDescriptors[name].entry} exports no handler`);
      return module.handler;
    });
    loaded.set(name, handler);
  }
  return handler;
}

/** Imports every handler up front (a warm container), so no cold import runs on the accelerated clock. */
export async function preloadHandlers(): Promise<void> {
  await Promise.all(functionNames.map((name) => load(name)));
  for (const name of functionNames) {
    const module = (await import(join(root, functionDescriptors[name].entry))) as {
      warm?: () => Promise<void>;
    };
    await module.warm?.();
  }
}

/** Lambda's synchronous request and response payload limit: https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;

/**
 * Concurrency as deployed: the step function's reserved concurrency (`stepConcurrency`, per workflow: one step
 * function each), the others share what is left of the account's 1,000. Tests may change these.
 */
export const lambdaLimits = {
  stepConcurrency: parseSettings({}).stepConcurrency,
  accountConcurrency: 1000,
  /** Seconds; only tests shorten a function's deployed timeout (infra/functions.ts `functionDescriptors`). */
  timeoutOverrides: {} as Partial<Record<FunctionName, number>>,
  /** Benchmarks: a 429 Lambda answers before the function runs, as when the account is throttled (bench:chaos). */
  throttle: (() => false) as (name: FunctionName) => boolean,
};

/** An error the Lambda service itself answers (no function code ran): Step Functions reports it as `Lambda.<name>`. */
export class LambdaServiceError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Running invocations per deployed function, and in the unreserved pool. */
const inFlight = new Map<string, number>();
/** The most invocations running at once, per pool and in the account (bench:capacity); read-only. */
export const concurrencyPeaks = { account: 0, byPool: {} as Record<string, number> };
let runningInAccount = 0;
/** Invocations of every function per virtual second (bench:capacity); the cloud sets the clock it counts on. */
export const invocationsPerSecond = new PerSecond();
let observationNow: () => number = Date.now;
export function observeInvocationsWith(now: () => number): void {
  observationNow = now;
}
const UNRESERVED = '(unreserved)';

/** The deployed name (`aftercare-follow-up-step`) from a function ARN, else `aftercare-<name>`. */
function deployedFunction(name: FunctionName, functionArn: string | undefined): string {
  return functionArn?.split(':function:')[1]?.split(':')[0] ?? deployedFunctionName(name);
}

/** Takes one unit of concurrency, or refuses as Lambda does when none is left (the caller sees a 429). */
function acquire(name: FunctionName, deployed: string): () => void {
  const sizing = functionDescriptors[name].sizing.reservedConcurrency;
  const reserved = sizing === 'stepConcurrency' ? lambdaLimits.stepConcurrency : sizing === 'one' ? 1 : 0;
  const pool = reserved > 0 ? deployed : UNRESERVED;
  // One step function per workflow, and the run keeper's one.
  const reservedTotal = lambdaLimits.stepConcurrency * workflows.length + 1;
  const limit = reserved > 0 ? reserved : Math.max(0, lambdaLimits.accountConcurrency - reservedTotal);
  const used = inFlight.get(pool) ?? 0;
  if (used >= limit) {
    throw new LambdaServiceError('TooManyRequestsException', 'Rate Exceeded.');
  }
  inFlight.set(pool, used + 1);
  runningInAccount += 1;
  concurrencyPeaks.account = Math.max(concurrencyPeaks.account, runningInAccount);
  concurrencyPeaks.byPool[pool] = Math.max(concurrencyPeaks.byPool[pool] ?? 0, used + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    runningInAccount -= 1;
    inFlight.set(pool, (inFlight.get(pool) ?? 1) - 1);
  };
}

/**
 * Invokes a function the way Lambda does: the event is JSON-serialised in and out (no shared references), and a
 * thrown error keeps its name, which is what Step Functions' Retry and Catch match on. Lambda's rules apply:
 * reserved concurrency (`TooManyRequestsException`), the deployed timeout (`Sandbox.Timedout`, the function's
 * real running time) and the 6 MB request and response limits.
 */
export async function invoke(
  name: FunctionName,
  event: unknown,
  options: { functionArn?: string } = {},
): Promise<unknown> {
  const handler = await load(name);
  const deployed = deployedFunction(name, options.functionArn);
  const request = JSON.stringify(event ?? null);
  const requestBytes = Buffer.byteLength(request);
  if (requestBytes > MAX_SYNC_PAYLOAD_BYTES) {
    throw new LambdaServiceError(
      'RequestTooLargeException',
      `Request must be smaller than ${MAX_SYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
    );
  }
  if (lambdaLimits.throttle(name)) throw new LambdaServiceError('TooManyRequestsException', 'Rate Exceeded.');
  const releaseSlot = acquire(name, deployed);
  invocations[name] = (invocations[name] ?? 0) + 1;
  invocationsPerSecond.record(observationNow());
  const timeoutSeconds = lambdaLimits.timeoutOverrides[name] ?? functionDescriptors[name].sizing.timeoutSeconds;
  const timeoutMs = timeoutSeconds * 1000;
  const deadline = Date.now() + timeoutMs;
  const awsRequestId = randomUUID();
  const context = {
    awsRequestId,
    functionName: deployed,
    functionVersion: '$LATEST',
    invokedFunctionArn: options.functionArn ?? `arn:aws:lambda:us-east-1:000000000000:function:${deployed}`,
    memoryLimitInMB: String(functionDescriptors[name].sizing.memoryMb),
    logGroupName: `/aws/lambda/${deployed}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  } satisfies Context;
  activity += 1;
  const release = holdClock();
  // The role is the invoked function's own: a workflow's Task names its step function by ARN.
  const run = () => handler(JSON.parse(request), context);
  const invocation = options.functionArn ? asPrincipal(deployed, run) : asCaller(name, run);
  running.add(invocation);
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  // Lambda stops a function at its timeout; here its promise is abandoned (it cannot be killed in-process).
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const seconds = timeoutSeconds.toFixed(2);
      const error = new Error(`RequestId: ${awsRequestId} Error: Task timed out after ${seconds} seconds`);
      error.name = 'Sandbox.Timedout';
      reject(error);
    }, timeoutMs);
  });
  invocation.catch(() => undefined);
  try {
    const result = await Promise.race([invocation, timedOut]);
    const response = JSON.stringify(result ?? null);
    const responseBytes = Buffer.byteLength(response);
    if (responseBytes > MAX_SYNC_PAYLOAD_BYTES) {
      const error = new Error(
        `Response payload size (${responseBytes} bytes) exceeded maximum allowed payload size (${MAX_SYNC_PAYLOAD_BYTES} bytes).`,
      );
      error.name = 'Function.ResponseSizeTooLarge';
      throw error;
    }
    return JSON.parse(response);
  } catch (error) {
    // What the Lambda runtime writes to CloudWatch for an uncaught error (name and message, no event).
    logger.error('function error', {
      function: name,
      errorType: (error as Error).name,
      errorMessage: errorFacts(error).reason,
    });
    throw error;
  } finally {
    clearTimeout(timer);
    invocationMs[name] = (invocationMs[name] ?? 0) + performance.now() - started;
    running.delete(invocation);
    releaseSlot();
    release();
  }
}
