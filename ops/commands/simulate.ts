import { cpus, loadavg, totalmem } from 'node:os';
import * as z from 'zod';
import { defineCommand } from '../command.ts';
import { table } from '../format.ts';
import { costPer1000, dynamoSplit, totals } from '../simulate/cost.ts';
import type { SimulationResult } from '../simulate/result.ts';
import { runShardedSimulation, type ShardedSimulation } from '../simulate/sharded.ts';
import { defaultWorkers } from '../simulate/workers.ts';

const whole = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `expected at least ${min}`).max(max, `expected at most ${max}`));

const schema = z.strictObject({
  purchases: whole(1, 100_000).default(1000),
  months: whole(1, 36).default(24),
  seed: whole(0, 2 ** 31).default(1),
  'time-scale': z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'expected virtual seconds per real second, such as 2592000')
    .transform(Number)
    .optional(),
  'lambda-ms': whole(1, 900_000).optional(),
  workers: whole(1, 64).optional(),
});

export const simulate = defineCommand({
  name: 'simulate',
  summary: 'scale benchmark on an in-process local cloud',
  help: `Usage: aftercare simulate [--purchases 1000] [--months 24] [--seed 1] [--time-scale <x>] [--lambda-ms <ms>]
                          [--workers <n>]

Starts a local cloud in this process (nothing else needs to run), generates purchases with a realistic spread —
vacuum cleaners, coffee machines and small appliances; en/nl/de/fr/es customers in their time zones; ~5% refunds,
~35% survey answers, ~2% unsubscribes, ~1% bounces, some repeat customers and offer purchases — posts them as
signed webhooks spread over the months, lets the virtual months pass, then prints throughput, emails, executions,
state transitions, Lambda invocations and AWS calls per purchase, and the list cost per 1,000 purchases.

  --time-scale X  virtual seconds per real second (default: the idle clock covers the months in purchases/40 s,
                  at least 20 s; virtual time stands still while functions run, so their work adds to that)
  --lambda-ms N   average Lambda duration for the compute cost (default: as measured locally, which is faster
                  than AWS: DynamoDB and SES answer in ~1 ms here, ~5–20 ms there)
  --workers N     shards, one per worker thread (default: the machine's cores; 1 = one cloud in this process).
                  A shard is its own account at 1/N of the volume: each customer's orders stay in one shard, so
                  per-purchase figures are the whole shop's, but account-wide rates (SES send rate, wakes per
                  second, the StartExecution bucket) are each shard's — use bench:capacity for quota figures`,
  options: {
    purchases: { type: 'string' },
    months: { type: 'string' },
    seed: { type: 'string' },
    'time-scale': { type: 'string' },
    'lambda-ms': { type: 'string' },
    workers: { type: 'string' },
  },
  schema,
  async run(args, io) {
    const result = await runShardedSimulation({
      purchases: args.purchases,
      months: args.months,
      seed: args.seed,
      workers: args.workers ?? defaultWorkers(),
      ...(args['time-scale'] ? { timeScale: args['time-scale'] } : {}),
      onProgress: (line) => {
        if (io.errIsTTY) io.err(`simulate: ${line}\n`);
      },
    });
    io.out(renderSimulation(result, args['lambda-ms']));
    return 0;
  },
});

const per = (value: number, purchases: number) => (value / purchases).toFixed(2);
const breakdown = (counts: Record<string, number>, purchases: number) =>
  Object.entries(counts)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => `${name} ${per(count, purchases)}`)
    .join(', ');

/** The list cost of a run per 1,000 purchases, Lambda priced at `lambdaMs` per invocation. */
export function simulationCost(result: SimulationResult, lambdaMs: number) {
  const lines = costPer1000(
    {
      purchases: result.purchases,
      transitions: result.transitions,
      lambdaInvocations: Object.values(result.invocations).reduce((a, b) => a + b, 0),
      dynamoRequests: result.dynamodb,
      emails: result.emails,
      apiRequests: result.tally.webhooks + result.tally.pageRequests,
    },
    lambdaMs,
  );
  return { lines, sum: totals(lines) };
}

export function renderSimulation(
  result: SimulationResult & Partial<ShardedSimulation>,
  lambdaMsGiven?: number,
): string {
  const n = result.purchases;
  const { tally } = result;
  const lambda = Object.values(result.invocations).reduce((a, b) => a + b, 0);
  const measuredMs = lambda ? Object.values(result.invocationMs).reduce((a, b) => a + b, 0) / lambda : 0;
  const lambdaMs = Math.max(1, Math.round(lambdaMsGiven ?? measuredMs));
  const dynamo = Object.values(result.dynamodb).reduce((a, b) => a + b, 0);
  const { writes, reads } = dynamoSplit(result.dynamodb);
  const awsCalls = dynamo + result.emails + result.executions;
  const { lines, sum } = simulationCost(result, lambdaMs);
  const cpu = cpus();
  return [
    `Simulated ${n} purchases over ${result.months} virtual months (seed ${result.seed}) in ${result.realSeconds.toFixed(1)} s real, time scale ${Math.round(result.timeScale).toLocaleString('en')}×`,
    `Machine            ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load ${loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')}`,
    ...(result.workers === undefined ? [] : shardLines(result as ShardedSimulation)),
    '',
    `Throughput         ${(n / result.realSeconds).toFixed(1)} purchases/s (whole run, real time)`,
    `Customers          ${tally.refunds} refunds · ${tally.answers} survey answers · ${tally.unsubscribes} unsubscribes · ${tally.bounces} bounces · ${tally.offerPurchases} offer purchases · ${tally.webhooks} webhooks (${tally.rejected} rejected) · ${tally.pageRequests} page requests`,
    `Emails             ${per(result.emails, n)} per purchase (${result.emails} SendEmail calls)`,
    `Executions         ${per(result.executions, n)} per purchase (${Object.entries(result.byStatus)
      .map(([status, count]) => `${status} ${count}`)
      .join(', ')})`,
    `State transitions  ${per(result.transitions, n)} per purchase`,
    `Lambda             ${per(lambda, n)} invocations per purchase (${breakdown(result.invocations, n)}); ${measuredMs.toFixed(1)} ms average locally`,
    `DynamoDB           ${per(dynamo, n)} requests per purchase: ${per(writes, n)} writes, ${per(reads, n)} reads (${breakdown(result.dynamodb, n)})`,
    `AWS calls          ${per(awsCalls, n)} per purchase (DynamoDB + SES SendEmail + Step Functions StartExecution)`,
    '',
    'List cost per 1,000 purchases (us-east-1 on-demand list prices, no free tier)',
    table(
      ['ITEM', 'PER 1,000 PURCHASES', 'UNIT', 'USD'],
      lines.map((line) => [line.item, line.per1000.toFixed(1), line.unit, `$${line.usd.toFixed(4)}`]),
    ),
    `Total              $${sum.at128.toFixed(2)} at 128 MB · $${sum.at512.toFixed(2)} at 512 MB per 1,000 purchases`,
    'Not included: CloudWatch Logs, data transfer, storage (DynamoDB ~$0.25/GB-month); DynamoDB items over 1 KB and index updates add write units.',
  ].join('\n');
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

/** What the shards mean, and the whole run's CPU and memory. */
function shardLines(result: ShardedSimulation): string[] {
  const n = result.purchases;
  return [
    `Shards             ${result.workers} (each its own local cloud and account with ~1/${result.workers} of the customers: per-purchase figures are the shop's, account-wide rates each shard's)`,
    `CPU                ${result.cpuSeconds.toFixed(1)} s for the whole run, ${((result.cpuSeconds / n) * 1000).toFixed(0)} ms per purchase · peak RSS ${mib(result.peakRssBytes)} (all workers)`,
  ];
}
