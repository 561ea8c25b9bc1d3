import type { SimulatedPurchase } from './generate.ts';
import type { SimulationResult } from './result.ts';

/**
 * A shard is one whole local cloud — its own account — playing 1/N of the customers. A customer's orders always
 * land in the same shard (a hash of the address), so per-customer rules (frequency cap, once per customer,
 * suppression) meet every order of theirs; account-wide rates (SES send rate, wakes per second, the StartExecution
 * bucket) are each shard's own.
 */
export interface Shard {
  index: number;
  count: number;
}

/** FNV-1a of the address: stable across runs and machines, spread evenly enough for a few shards. */
export function shardOf(email: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < email.length; i += 1) {
    hash ^= email.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}

/** The purchases of one shard, in the order generated (the whole list is generated first: same seed, same shop). */
export function inShard(purchases: readonly SimulatedPurchase[], shard: Shard | undefined): SimulatedPurchase[] {
  if (!shard || shard.count <= 1) return [...purchases];
  return purchases.filter((p) => shardOf(p.customer.email, shard.count) === shard.index);
}

/** Adds counters by name (a name missing from one shard counts 0 there). */
export function sumCounts(counts: readonly Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const one of counts) for (const [name, value] of Object.entries(one)) total[name] = (total[name] ?? 0) + value;
  return total;
}

/** Adds every numeric field of like records, nested counters too (keys of any shard); other fields: the first's. */
export function sumFigures<T extends object>(records: readonly T[]): T {
  const [first] = records;
  if (!first) throw new Error('no shard results to merge');
  const merged: Record<string, unknown> = { ...(first as Record<string, unknown>) };
  const keys = new Set(records.flatMap((record) => Object.keys(record)));
  for (const key of keys) {
    const values = records.map((record) => (record as Record<string, unknown>)[key]);
    const sample = values.find((value) => value !== undefined);
    if (typeof sample === 'number') merged[key] = values.reduce((a: number, b) => a + Number(b ?? 0), 0);
    else if (sample && typeof sample === 'object' && !Array.isArray(sample) && !(sample instanceof Map))
      merged[key] = sumFigures(values.map((value) => (value ?? {}) as object));
  }
  return merged as T;
}

/** Merges shards' results: counters add up; the run's real time, CPU and memory are the whole process's. */
export function mergeSimulations(results: readonly SimulationResult[]): SimulationResult {
  const [first] = results;
  if (!first) throw new Error('no shard results to merge');
  return {
    ...sumFigures(results),
    months: first.months,
    seed: first.seed,
    timeScale: first.timeScale,
    realSeconds: Math.max(...results.map((result) => result.realSeconds)),
  };
}
