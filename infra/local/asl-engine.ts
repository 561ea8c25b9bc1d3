import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type * as Engine from 'aws-local-stepfunctions';
import type { VirtualClock } from './virtual-clock.ts';

const require = createRequire(import.meta.url);

/** A Task's TimeoutSeconds limits the function's real running time, so that one timer stays on the real clock. */
const TASK_TIMEOUT = /setTimeout\(\(\) => rejectTimeout\(new StatesTimeoutError\(\)\), timeoutMs\)/;

/**
 * Loads aws-local-stepfunctions with its `Date`, `setTimeout` and `clearTimeout` bound to a virtual clock.
 * The interpreter is unchanged but for its notion of time: Wait states (Timestamp, TimestampPath, Seconds) and
 * Retry intervals pass in virtual time, so AFTERCARE_TIME_SCALE=2592000 plays a month per second, while a
 * Task's TimeoutSeconds (how long the function may run) stays real.
 */
export function loadEngine(clock: VirtualClock): typeof Engine {
  const file = require.resolve('aws-local-stepfunctions');
  const source = readFileSync(file, 'utf8').replace(TASK_TIMEOUT, (match) =>
    match.replace('setTimeout', '__realSetTimeout'),
  );
  if (!source.includes('__realSetTimeout')) {
    throw new Error(
      `aws-local-stepfunctions changed: cannot find its Task timeout in ${file}; update infra/local/asl-engine.ts`,
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
  );
  return module.exports;
}
