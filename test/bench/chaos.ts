import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { machine } from './stats.ts';

/**
 * Issue 17 benchmark: N purchases over virtual months on the AWS-strict local cloud under duplicate and late
 * webhooks, seeded transient faults on every AWS call, refunds, unsubscribes, bounces and two restarts; then the
 * invariant checker reads the inbox and the table. Exits 1 when an invariant breaks.
 * Usage: npm run bench:chaos [-- --purchases 10000 --months 24 --seed 1 --workers <cores>]
 * --workers N: N shards by customer, each a whole local cloud (its own account) in a worker thread; 1 = one cloud.
 */
const { values } = parseArgs({
  options: {
    purchases: { type: 'string', default: '10000' },
    months: { type: 'string', default: '24' },
    seed: { type: 'string', default: '1' },
    workers: { type: 'string', default: String(availableParallelism()) },
  },
});
const options = {
  purchases: Number(values.purchases),
  months: Number(values.months),
  seed: Number(values.seed),
  workers: Number(values.workers),
};
for (const [name, value] of Object.entries(options))
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got ${value}`);

// Set before the functions' logger is loaded (hence the dynamic imports): injected faults would drown the figures.
process.env.AFTERCARE_LOG_LEVEL ??= 'CRITICAL';
const { runShardedChaos } = await import('./chaos/sharded.ts');
const { renderChaos } = await import('./chaos/report.ts');
console.log(`machine: ${machine()}`);
console.log(
  `bench:chaos --purchases ${options.purchases} --months ${options.months} --seed ${options.seed} --workers ${options.workers}`,
);
const { run, verdict, ...whole } = await runShardedChaos({ ...options, onProgress: (line) => console.log(line) });
console.log(renderChaos(run, verdict, whole));
console.log(`machine after the run: ${machine()}`);
process.exitCode = Object.values(verdict.invariants).some((count) => count > 0) ? 1 : 0;
