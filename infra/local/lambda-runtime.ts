import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'aws-lambda';
import { errorFacts, logger } from '../../functions/shared/logger.ts';
import { type FunctionName, functionDefinitions } from '../functions.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

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
    handler = import(join(root, functionDefinitions[name].entry)).then((module: { handler: LambdaHandler }) => {
      if (typeof module.handler !== 'function')
        throw new Error(`${functionDefinitions[name].entry} exports no handler`);
      return module.handler;
    });
    loaded.set(name, handler);
  }
  return handler;
}

/** Imports every handler up front (a warm container), so no cold import runs on the accelerated clock. */
export async function preloadHandlers(): Promise<void> {
  await Promise.all((Object.keys(functionDefinitions) as FunctionName[]).map((name) => load(name)));
  for (const name of Object.keys(functionDefinitions)) {
    const module = (await import(join(root, functionDefinitions[name as FunctionName].entry))) as {
      warm?: () => Promise<void>;
    };
    await module.warm?.();
  }
}

/**
 * Invokes a function the way Lambda does: the event is JSON-serialised in and out (no shared references), and a
 * thrown error keeps its name, which is what Step Functions' Retry and Catch match on.
 */
export async function invoke(name: FunctionName, event: unknown, timeoutMs = 30_000): Promise<unknown> {
  const handler = await load(name);
  invocations[name] = (invocations[name] ?? 0) + 1;
  const deadline = Date.now() + timeoutMs;
  const context = {
    awsRequestId: randomUUID(),
    functionName: `aftercare-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:aftercare-${name}`,
    memoryLimitInMB: '512',
    logGroupName: `/aws/lambda/aftercare-${name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  } satisfies Context;
  activity += 1;
  const release = holdClock();
  const invocation = handler(JSON.parse(JSON.stringify(event ?? null)), context);
  running.add(invocation);
  const started = performance.now();
  try {
    const result = await invocation;
    return result === undefined ? null : JSON.parse(JSON.stringify(result));
  } catch (error) {
    // What the Lambda runtime writes to CloudWatch for an uncaught error (name and message, no event).
    logger.error('function error', {
      function: name,
      errorType: (error as Error).name,
      errorMessage: errorFacts(error).reason,
    });
    throw error;
  } finally {
    invocationMs[name] = (invocationMs[name] ?? 0) + performance.now() - started;
    running.delete(invocation);
    release();
  }
}
