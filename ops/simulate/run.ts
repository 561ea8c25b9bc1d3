import { DAY } from '../../functions/shared/domain/schedule.ts';
import { type LocalCloud, startLocalCloud } from '../../local-cloud/cloud.ts';
import { invocationMs, invocations } from '../../local-cloud/lambda-runtime.ts';
import { Agenda } from './agenda.ts';
import { customerActions, newTally } from './customers.ts';
import { generatePurchases } from './generate.ts';
import type { SimulationResult } from './result.ts';
import { inShard, type Shard } from './shards.ts';

export interface SimulationOptions {
  purchases: number;
  months: number;
  seed: number;
  /** Virtual seconds per real second; by default chosen so the run takes about `realSeconds`. */
  timeScale?: number;
  /** Target real duration when no time scale is given. */
  realSeconds?: number;
  /** Customer actions in flight at once. */
  concurrency?: number;
  onProgress?: (virtualShare: number) => void;
  /** Called with the still-running cloud after the last virtual month, e.g. to run a report on its data. */
  inspect?: (cloud: LocalCloud) => Promise<void>;
  /** Plays only this shard's customers (all purchases are generated first, so the seed means the same shop). */
  shard?: Shard;
}

export type { SimulationResult } from './result.ts';

const MONTH = 30.44 * DAY;

const since = (now: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(Object.entries(now).map(([name, value]) => [name, value - (before[name] ?? 0)]));

/** Real seconds a run should take: the local cloud handles a few hundred purchases per second at most. */
export function defaultRealSeconds(purchases: number): number {
  return Math.max(20, Math.ceil(purchases / 40));
}

/**
 * Plays generated purchases through `months` virtual months on an in-process local cloud and measures it. The
 * clock runs at a fixed scale, so if the functions fall behind, steps run later in virtual time, never skipped.
 */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one run top to bottom: start the cloud, play the agenda on its clock, drain, measure, stop
export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const spanMs = options.months * MONTH;
  const purchases = inShard(generatePurchases(options.purchases, options.months, options.seed), options.shard);
  const timeScale = options.timeScale ?? spanMs / 1000 / (options.realSeconds ?? defaultRealSeconds(purchases.length));
  const invokedBefore = { ...invocations };
  const msBefore = { ...invocationMs };
  // Nothing here reads an email's HTML; kept, 10,000 purchases' bodies would be most of the run's memory.
  const cloud = await startLocalCloud({ apiPort: 0, inboxPort: 0, timeScale, ses: { inboxBodies: false } });
  const started = Date.now();
  try {
    const startsAt = cloud.clock.now();
    const endsAt = startsAt + spanMs;
    const agenda = new Agenda();
    const tally = newTally();
    const purchase = customerActions(cloud, agenda, tally, endsAt);
    for (const p of purchases) agenda.add(startsAt + p.atMs, () => purchase(p));
    const failures: Error[] = [];
    const inFlight = new Set<Promise<void>>();
    const limit = options.concurrency ?? 32;
    let reported = 0;
    while (agenda.size > 0 || inFlight.size > 0) {
      const next = agenda.peekTime();
      const share = Math.min(1, (cloud.clock.now() - startsAt) / spanMs);
      if (share - reported >= 0.01) {
        reported = share;
        options.onProgress?.(share);
      }
      if (next === undefined || inFlight.size >= limit) {
        await Promise.race(inFlight);
        continue;
      }
      const waitMs = (next - cloud.clock.now()) / timeScale;
      if (waitMs > 1) {
        await Promise.race([new Promise((resolve) => setTimeout(resolve, Math.min(waitMs, 200))), ...inFlight]);
        continue;
      }
      const task: Promise<void> = (agenda.pop() as () => Promise<void>)()
        .catch((error: Error) => void failures.push(error))
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
    }
    const rest = (endsAt - cloud.clock.now()) / timeScale;
    if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    options.onProgress?.(1);
    await cloud.dynamodb.drained(60_000);
    if (failures.length > 0)
      throw new AggregateError(failures, `${failures.length} simulated actions failed: ${failures[0]?.message}`);
    const stats = cloud.stepFunctions.stats();
    const dynamodb = { ...cloud.dynamodb.requestCounts };
    for (const [operation, count] of Object.entries(tally.probes))
      dynamodb[operation] = (dynamodb[operation] ?? 0) - count;
    const result: SimulationResult = {
      purchases: purchases.length,
      months: options.months,
      seed: options.seed,
      timeScale,
      realSeconds: (Date.now() - started) / 1000,
      tally,
      emails: cloud.ses.sendCalls,
      executions: stats.executions,
      byStatus: stats.byStatus,
      transitions: stats.transitions,
      invocations: since(invocations, invokedBefore),
      invocationMs: since(invocationMs, msBefore),
      dynamodb,
    };
    await options.inspect?.(cloud);
    return result;
  } finally {
    await cloud.stop();
  }
}

/** What crosses into a worker thread: the options without callbacks. */
export type ShardInput = Omit<SimulationOptions, 'onProgress' | 'inspect' | 'shard'>;

/** A worker thread's entry (ops/simulate/workers.ts): one shard's simulation, progress as a share in tenths. */
export async function runShard(input: ShardInput, shard: Shard, progress: (line: string) => void) {
  let shown = -1;
  return runSimulation({
    ...input,
    shard,
    onProgress: (share) => {
      const tenth = Math.floor(share * 10);
      if (tenth > shown) progress(`${tenth * 10}% of ${input.months} virtual months`);
      shown = Math.max(shown, tenth);
    },
  });
}
