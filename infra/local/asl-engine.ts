import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type * as Engine from 'aws-local-stepfunctions';
import type { VirtualClock } from './virtual-clock.ts';

const require = createRequire(import.meta.url);

/**
 * Loads aws-local-stepfunctions with its `Date`, `setTimeout` and `clearTimeout` bound to a virtual clock.
 * The interpreter is unchanged; only its notion of time is: Wait states (Timestamp, TimestampPath, Seconds) and
 * Retry intervals then pass in virtual time, so AFTERCARE_TIME_SCALE=2592000 plays a month per second.
 */
export function loadEngine(clock: VirtualClock): typeof Engine {
  const file = require.resolve('aws-local-stepfunctions');
  const source = readFileSync(file, 'utf8');
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
    (timer: ReturnType<VirtualClock['setTimeout']>) => clock.clearTimeout(timer),
  );
  return module.exports;
}
