import { type Shard, sumCounts, sumFigures } from '../../../ops/simulate/shards.ts';
import { runShards } from '../../../ops/simulate/workers.ts';
import type { Verdict } from './check.ts';
import type { Acknowledged, ChaosOptions, ChaosRun } from './run.ts';

/** One shard's run without its inbox and table (the checker reads those inside the shard), plus its email count. */
export type ChaosFigures = Omit<ChaosRun, 'inbox' | 'items' | 'options'> & {
  options: Omit<ChaosOptions, 'onProgress' | 'shard'>;
  emails: number;
};

export interface ShardedChaos {
  run: ChaosFigures;
  verdict: Verdict;
  workers: number;
  cpuSeconds: number;
  peakRssBytes: number;
}

type ShardInput = Omit<ChaosOptions, 'onProgress' | 'shard'>;

/** A worker thread's entry (ops/simulate/workers.ts): one shard's chaos run, judged where its inbox and table are. */
export async function runShard(
  input: ShardInput,
  shard: Shard,
  progress: (line: string) => void,
): Promise<{ run: ChaosFigures; verdict: Verdict }> {
  // Loaded here, not at the top: with workers, the main thread never loads the local cloud.
  const [{ runChaos }, { checkInvariants }] = await Promise.all([import('./run.ts'), import('./check.ts')]);
  const { inbox, items, options: _options, ...run } = await runChaos({ ...input, shard, onProgress: progress });
  const verdict = checkInvariants({ items, inbox, acknowledged: run.acknowledged, endsAt: run.endsAt });
  return { run: { ...run, options: input, emails: inbox.length }, verdict };
}

const union = <K, V>(maps: readonly Map<K, V>[]) => new Map(maps.flatMap((map) => [...map]));

/** Shards hold disjoint customers, so their verdicts add up to the shop's; their acknowledgements are a union. */
export function mergeChaos(shards: readonly { run: ChaosFigures; verdict: Verdict }[]): {
  run: ChaosFigures;
  verdict: Verdict;
} {
  const runs = shards.map((shard) => shard.run);
  const verdicts = shards.map((shard) => shard.verdict);
  const [first] = runs;
  if (!first) throw new Error('no shard results to merge');
  const acknowledged: Acknowledged = {
    orders: union(runs.map((run) => run.acknowledged.orders)),
    refundedAt: union(runs.map((run) => run.acknowledged.refundedAt)),
    unsubscribedAt: union(runs.map((run) => run.acknowledged.unsubscribedAt)),
    bouncedAt: union(runs.map((run) => run.acknowledged.bouncedAt)),
    unacknowledged: runs.reduce((sum, run) => sum + run.acknowledged.unacknowledged, 0),
  };
  return {
    run: {
      ...sumFigures(runs),
      options: first.options,
      endsAt: first.endsAt,
      realSeconds: Math.max(...runs.map((run) => run.realSeconds)),
      acknowledged,
      restartsAt: runs.flatMap((run) => run.restartsAt).sort((a, b) => a - b),
      failures: runs.flatMap((run) => run.failures),
    },
    verdict: {
      invariants: sumFigures(verdicts.map((verdict) => verdict.invariants)),
      violations: verdicts.flatMap((verdict) => verdict.violations),
      unsentByReason: sumCounts(verdicts.map((verdict) => verdict.unsentByReason)),
      sentSteps: verdicts.reduce((sum, verdict) => sum + verdict.sentSteps, 0),
      dueSteps: verdicts.reduce((sum, verdict) => sum + verdict.dueSteps, 0),
    },
  };
}

/** `bench:chaos --workers N`: N shards, each a whole local cloud under its own faults and restarts, in a thread. */
export async function runShardedChaos(
  options: ShardInput & { workers: number; onProgress?: (line: string) => void },
): Promise<ShardedChaos> {
  const { workers, onProgress, ...input } = options;
  const run = await runShards({ module: new URL(import.meta.url), input, inProcess: runShard }, workers, onProgress);
  const merged = mergeChaos(run.results);
  return {
    ...merged,
    run: { ...merged.run, realSeconds: run.realSeconds },
    workers,
    cpuSeconds: run.cpuSeconds,
    peakRssBytes: run.peakRssBytes,
  };
}
