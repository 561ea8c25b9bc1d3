import type { SimulationResult } from './result.ts';
import type { ShardInput } from './run.ts';
import { mergeSimulations } from './shards.ts';
import { runShards } from './workers.ts';

export interface ShardedSimulation extends SimulationResult {
  workers: number;
  cpuSeconds: number;
  peakRssBytes: number;
}

/**
 * `simulate --workers N`: N shards, each a whole local cloud in its own thread (1: in this thread, as before). The
 * local cloud's modules load only where a shard runs: with workers, the main thread stays small.
 */
export async function runShardedSimulation(
  options: ShardInput & { workers: number; onProgress?: (line: string) => void },
): Promise<ShardedSimulation> {
  const { workers, onProgress, ...input } = options;
  const run = await runShards(
    {
      module: new URL('./run.ts', import.meta.url),
      input,
      inProcess: async (shardInput, shard, progress) =>
        (await import('./run.ts')).runShard(shardInput, shard, progress),
    },
    workers,
    onProgress,
  );
  return {
    ...mergeSimulations(run.results),
    realSeconds: run.realSeconds,
    workers,
    cpuSeconds: run.cpuSeconds,
    peakRssBytes: run.peakRssBytes,
  };
}
