import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Shard } from './shards.ts';

/** A shard job: a module exporting `runShard(input, shard, progress)`, run once per shard in its own thread. */
/** A shard job's input: how many purchases the whole run plays (each worker's heap limit follows from it). */
export interface ShardJobInput {
  purchases: number;
}

export interface ShardJob<I extends ShardJobInput, O> {
  module: URL;
  input: I;
  /** Runs one shard in this thread (`--workers 1`: today's single-process run, no worker at all). */
  inProcess: (input: I, shard: Shard, progress: (line: string) => void) => Promise<O>;
}

/**
 * A shard's heap limit for `purchases` simulated purchases: what stays live (measured 3 December 2026 after a full
 * GC at the end of a 24-month run: 113 MiB at 200 purchases, 130 MiB at 600, so ~110 MiB + 0.042 MiB a purchase)
 * with room for twice that growth. Unlimited, V8 let a shard's heap grow to several times its live data before a
 * full collection (peak RSS 655 MiB for 130 MiB live at 600 purchases; 316 MiB with a 200 MiB limit, ~the same
 * CPU). It is what Lambda does too: its Node runtime sizes the old generation from the function's memory.
 */
function shardHeapMiB(purchases: number): number {
  return Math.max(256, Math.ceil(200 + 0.085 * purchases));
}

export interface ShardedRun<O> {
  results: O[];
  realSeconds: number;
  /** CPU seconds of the whole process, every worker thread included. */
  cpuSeconds: number;
  /** Peak resident memory of the whole process (all workers share it), in bytes. */
  peakRssBytes: number;
}

export const defaultWorkers = () => availableParallelism();

/**
 * Runs one shard per worker thread (threads rather than child processes: one process, so its peak RSS and CPU time
 * are the whole run's, and the results come back by structured clone without serialising to JSON).
 */
export async function runShards<I extends ShardJobInput, O>(
  job: ShardJob<I, O>,
  workers: number,
  progress: (line: string) => void = () => undefined,
): Promise<ShardedRun<O>> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const results =
    workers <= 1
      ? [await job.inProcess(job.input, { index: 0, count: 1 }, progress)]
      : await Promise.all(
          Array.from({ length: workers }, (_, index) =>
            inWorker<I, O>(job, { index, count: workers }, (line) =>
              progress(`[shard ${index + 1}/${workers}] ${line}`),
            ),
          ),
        );
  const cpu = process.cpuUsage(cpuBefore);
  return {
    results,
    realSeconds: (performance.now() - started) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

function inWorker<I extends ShardJobInput, O>(
  job: ShardJob<I, O>,
  shard: Shard,
  progress: (line: string) => void,
): Promise<O> {
  return new Promise((resolve, reject) => {
    // shard-worker.mjs registers tsx in the thread (Node 20 passes no loader on to workers), then runs the shard.
    const worker = new Worker(new URL('./shard-worker.mjs', import.meta.url), {
      workerData: { module: job.module.href, input: job.input, shard },
      // V8's default limit lets garbage pile up to several times what a shard keeps live.
      resourceLimits: { maxOldGenerationSizeMb: shardHeapMiB(job.input.purchases / shard.count) },
    });
    let done = false;
    worker.on('message', (message: { progress?: string; result?: O }) => {
      if (message.progress !== undefined) progress(message.progress);
      if (!('result' in message)) return;
      done = true;
      resolve(message.result as O);
      // The shard has stopped its cloud; a stray timer must not keep the thread (and its memory) alive.
      void worker.terminate();
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (!done) reject(new Error(`shard ${shard.index + 1}/${shard.count} exited with code ${code} and no result`));
    });
  });
}
