import { parentPort, workerData } from 'node:worker_threads';
import type { Shard } from './shards.ts';

/** One shard in its own thread: imports the job's module, runs its `runShard`, posts the result back. */
const { module, input, shard } = workerData as { module: string; input: unknown; shard: Shard };
const job = (await import(module)) as {
  runShard: (input: unknown, shard: Shard, progress: (line: string) => void) => Promise<unknown>;
};
const result = await job.runShard(input, shard, (line) => parentPort?.postMessage({ progress: line }));
parentPort?.postMessage({ result });
