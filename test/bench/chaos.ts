import { parseArgs } from 'node:util';
import { machine } from './stats.ts';

/**
 * Issue 17 benchmark: N purchases over virtual months on the AWS-strict local cloud under duplicate and late
 * webhooks, seeded transient faults on every AWS call, refunds, unsubscribes, bounces and two restarts; then the
 * invariant checker reads the inbox and the table. Exits 1 when an invariant breaks.
 * Usage: npm run bench:chaos [-- --purchases 10000 --months 24 --seed 1]
 */
const { values } = parseArgs({
  options: {
    purchases: { type: 'string', default: '10000' },
    months: { type: 'string', default: '24' },
    seed: { type: 'string', default: '1' },
  },
});
const options = { purchases: Number(values.purchases), months: Number(values.months), seed: Number(values.seed) };
for (const [name, value] of Object.entries(options))
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got ${value}`);

// Set before the functions' logger is loaded (hence the dynamic imports): injected faults would drown the figures.
process.env.AFTERCARE_LOG_LEVEL ??= 'CRITICAL';
const { runChaos } = await import('./chaos/run.ts');
const { checkInvariants } = await import('./chaos/check.ts');
const { renderChaos } = await import('./chaos/report.ts');
console.log(`machine: ${machine()}`);
console.log(`bench:chaos --purchases ${options.purchases} --months ${options.months} --seed ${options.seed}`);
const run = await runChaos({ ...options, onProgress: (line) => console.log(line) });
const verdict = checkInvariants(run);
console.log(renderChaos(run, verdict));
process.exitCode = Object.values(verdict.invariants).some((count) => count > 0) ? 1 : 0;
