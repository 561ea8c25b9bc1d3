import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type * as Engine from 'aws-local-stepfunctions';
import type { VirtualClock } from './virtual-clock.ts';

const require = createRequire(import.meta.url);

/** A Task's TimeoutSeconds limits the function's real running time, so that one timer stays on the real clock. */
const TASK_TIMEOUT = /setTimeout\(\(\) => rejectTimeout\(new StatesTimeoutError\(\)\), timeoutMs\)/;
/** A Wait's Timestamp(Path) target; AWS considers it to the second and drops the milliseconds. */
const WAIT_TARGET = /const timeDiff = dateTimestamp\.getTime\(\) - currentTime;/g;
const WAIT_TARGET_TRUNCATED = 'const timeDiff = Math.floor(dateTimestamp.getTime() / 1e3) * 1e3 - currentTime;';

/**
 * Loads aws-local-stepfunctions with its `Date`, `setTimeout` and `clearTimeout` bound to a virtual clock.
 * The interpreter is unchanged but for its notion of time: Wait states (Timestamp, TimestampPath, Seconds) and
 * Retry intervals pass in virtual time, so AFTERCARE_TIME_SCALE=2592000 plays a month per second, while a
 * Task's TimeoutSeconds (how long the function may run) stays real; and Wait timestamps are truncated to the
 * second, as AWS does (09:00:00.999 and 09:00:00.000 wake together).
 */
export function loadEngine(clock: VirtualClock): typeof Engine {
  const file = require.resolve('aws-local-stepfunctions');
  const source = readFileSync(file, 'utf8')
    .replace(TASK_TIMEOUT, (match) => match.replace('setTimeout', '__realSetTimeout'))
    .replace(WAIT_TARGET, WAIT_TARGET_TRUNCATED);
  // Wait timestamps: https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html (milliseconds truncated).
  if (!source.includes('__realSetTimeout') || source.split(WAIT_TARGET_TRUNCATED).length !== 3) {
    throw new Error(
      `aws-local-stepfunctions changed: cannot find its Task timeout or Wait timestamps in ${file}; update local-cloud/asl-engine.ts`,
    );
  }
  const module = { exports: {} as typeof Engine };
  const wrapper = new Function(
    'exports',
    'require',
    'module',
    '__filename',
    '__dirname',
    'Date',
    'setTimeout',
    'clearTimeout',
    '__realSetTimeout',
    'Promise',
    source,
  );
  wrapper(
    module.exports,
    createRequire(file),
    module,
    file,
    dirname(file),
    clock.dateClass(),
    (callback: () => void, ms: number) => clock.setTimeout(callback, ms),
    (timer: ReturnType<VirtualClock['setTimeout']> | NodeJS.Timeout) => {
      if (timer && 'handle' in timer) clock.clearTimeout(timer);
      else clearTimeout(timer);
    },
    setTimeout,
    withResolvers(Promise),
  );
  return module.exports;
}

/**
 * The interpreter times each Task with `Promise.withResolvers`, which Node 20 lacks (Node 22 has it): without it
 * every Task would fail after its function ran, and a function that then threw would crash the process.
 */
function withResolvers(base: PromiseConstructor): PromiseConstructor {
  if ('withResolvers' in base) return base;
  return Object.assign(class extends base<unknown> {}, {
    withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new base<T>((yes, no) => {
        resolve = yes;
        reject = no;
      });
      return { promise, resolve, reject };
    },
  }) as unknown as PromiseConstructor;
}
