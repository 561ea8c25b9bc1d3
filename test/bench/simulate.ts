import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machine } from './stats.ts';

/**
 * Issue 8 benchmark, the project's scale figure: generated purchases played through two virtual years on
 * in-process local clouds (`aftercare simulate`, one shard per core), printing throughput, emails, executions,
 * transitions, Lambda invocations and AWS calls per purchase and the list cost per 1,000 purchases.
 * Usage: npm run bench:simulate [-- --purchases 1000] [-- --large] [-- --workers N]   (--large: 10,000 purchases)
 *        npm run bench:simulate -- --compare 1000,10000   (issue 17: is the cost per purchase linear?)
 * --compare runs each size in its own process, one after the other, so each one's CPU time and peak RSS are its own.
 */
const { values } = parseArgs({
  options: {
    purchases: { type: 'string' },
    large: { type: 'boolean', default: false },
    workers: { type: 'string', default: String(availableParallelism()) },
    compare: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const PURCHASES = values.purchases ? Number(values.purchases) : values.large ? 10_000 : 1000;
const WORKERS = Number(values.workers);
const MONTHS = 24;
/** Lambda priced at a fixed duration in --compare: the local duration swings with the machine's load, usage does not. */
const COMPARE_LAMBDA_MS = 100;
if (!Number.isInteger(PURCHASES) || PURCHASES < 1) throw new Error(`--purchases must be a positive integer`);
if (!Number.isInteger(WORKERS) || WORKERS < 1) throw new Error(`--workers must be a positive integer`);

interface SizeFigures {
  purchases: number;
  workers: number;
  realSeconds: number;
  cpuSeconds: number;
  peakRssBytes: number;
  usdPer1000: number;
  emails: number;
  executions: number;
  transitions: number;
}

if (values.compare) {
  const sizes = values.compare.split(',').map(Number);
  if (sizes.length !== 2 || sizes.some((size) => !Number.isInteger(size) || size < 1))
    throw new Error(`--compare takes two sizes, such as 1000,10000; got ${values.compare}`);
  console.log(`machine: ${machine()}`);
  const figures: SizeFigures[] = [];
  for (const size of sizes) {
    const one = await inChild(size);
    figures.push(one);
    // Printed as each size ends: the larger one may be stopped before it does.
    console.log(`  ${JSON.stringify(one)}`);
  }
  const [small, large] = figures as [SizeFigures, SizeFigures];
  const row = (label: string, of: (f: SizeFigures) => number, digits: number) =>
    `${label.padEnd(36)} ${of(small).toFixed(digits).padStart(10)} ${of(large).toFixed(digits).padStart(10)} ${(of(large) / of(small)).toFixed(3).padStart(8)}`;
  console.log(
    [
      '',
      `${'per purchase'.padEnd(36)} ${String(small.purchases).padStart(10)} ${String(large.purchases).padStart(10)} ${'ratio'.padStart(8)}`,
      row(`list cost USD per 1,000 (Lambda ${COMPARE_LAMBDA_MS} ms)`, (f) => f.usdPer1000, 3),
      row('CPU ms (whole process, all workers)', (f) => (f.cpuSeconds / f.purchases) * 1000, 0),
      row('real ms', (f) => (f.realSeconds / f.purchases) * 1000, 0),
      row('emails', (f) => f.emails / f.purchases, 2),
      row('executions', (f) => f.executions / f.purchases, 2),
      row('state transitions', (f) => f.transitions / f.purchases, 1),
      `peak RSS (all workers)               ${mib(small.peakRssBytes).padStart(10)} ${mib(large.peakRssBytes).padStart(10)}`,
      `workers ${small.workers}; linear means each ratio near 1 (goal: cost and CPU within 15 %)`,
      `machine after the runs: ${machine()}`,
    ].join('\n'),
  );
} else {
  // Set before the functions' logger is loaded (hence the dynamic imports): warnings would drown the figures.
  process.env.AFTERCARE_LOG_LEVEL ??= 'ERROR';
  const { runShardedSimulation } = await import('../../ops/simulate/sharded.ts');
  const { renderSimulation, simulationCost } = await import('../../ops/commands/simulate.ts');
  if (!values.json) console.log(`machine: ${machine()}`);
  const result = await runShardedSimulation({
    purchases: PURCHASES,
    months: MONTHS,
    seed: 1,
    workers: WORKERS,
    onProgress: (line) => {
      if (!values.json) console.log(`  ${line} after ${Math.round(performance.now() / 1000)} s`);
    },
  });
  if (values.json) {
    const figures: SizeFigures = {
      purchases: result.purchases,
      workers: result.workers,
      realSeconds: result.realSeconds,
      cpuSeconds: result.cpuSeconds,
      peakRssBytes: result.peakRssBytes,
      usdPer1000: simulationCost(result, COMPARE_LAMBDA_MS).sum.at128,
      emails: result.emails,
      executions: result.executions,
      transitions: result.transitions,
    };
    console.log(JSON.stringify(figures));
  } else console.log(renderSimulation(result));
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MiB`;
}

/** One size in a fresh process: its CPU and peak RSS are that size's alone. */
function inChild(size: number): Promise<SizeFigures> {
  const script = fileURLToPath(import.meta.url);
  const args = ['--import', 'tsx', script, '--purchases', String(size), '--workers', String(WORKERS), '--json'];
  console.log(`running ${size} purchases × ${MONTHS} months with ${WORKERS} workers …`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as SizeFigures);
      else reject(new Error(`${size} purchases: exit ${code}: ${out.slice(-500)}`));
    });
  });
}
