/**
 * Read-only counters the local cloud keeps for benchmarks (`npm run bench:capacity`): they record what happened on
 * the virtual clock and never change what the emulators answer.
 */
export class PerSecond {
  private readonly counts = new Map<number, number>();
  total = 0;

  /** One counter holding the events of all of `counters`. */
  static merge(counters: readonly PerSecond[]): PerSecond {
    const merged = new PerSecond();
    for (const counter of counters) for (const [second, count] of counter.counts) merged.record(second * 1000, count);
    return merged;
  }

  record(atMs: number, count = 1): void {
    const second = Math.floor(atMs / 1000);
    this.counts.set(second, (this.counts.get(second) ?? 0) + count);
    this.total += count;
  }

  /** The busiest second: its start (virtual ms) and how many events it held. */
  peak(): { at: number; count: number } {
    let best = { at: Number.NaN, count: 0 };
    for (const [second, count] of this.counts) if (count > best.count) best = { at: second * 1000, count };
    return best;
  }

  /** The most events in any `seconds` consecutive seconds (a sliding window over the recorded seconds). */
  peakOver(seconds: number): number {
    const sorted = [...this.counts].sort((a, b) => a[0] - b[0]);
    let best = 0;
    let sum = 0;
    let first = 0;
    for (const [second, count] of sorted) {
      sum += count;
      while ((sorted[first]?.[0] ?? second) <= second - seconds) {
        sum -= sorted[first]?.[1] ?? 0;
        first += 1;
      }
      if (sum > best) best = sum;
    }
    return best;
  }

  /** Events recorded in [fromMs, toMs). */
  between(fromMs: number, toMs: number): number {
    let sum = 0;
    for (const [second, count] of this.counts) if (second * 1000 >= fromMs && second * 1000 < toMs) sum += count;
    return sum;
  }
}

/**
 * The most events for any one key within one second (e.g. writes to one DynamoDB partition key). Only the latest
 * seconds' counts are kept — the virtual clock never goes back — so a two-year run does not hold one entry per key
 * per second it ever wrote.
 */
export class HottestKey {
  private readonly seconds = new Map<number, Map<string, number>>();
  private latest = Number.NEGATIVE_INFINITY;
  peak = 0;
  peakKey = '';

  record(atMs: number, key: string): void {
    const second = Math.floor(atMs / 1000);
    if (second > this.latest) {
      this.latest = second;
      // A second behind the latest still counts (records of one second may arrive a little out of order).
      for (const kept of this.seconds.keys()) if (kept < second - 1) this.seconds.delete(kept);
    }
    const counts = this.seconds.get(second) ?? new Map<string, number>();
    this.seconds.set(second, counts);
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    if (count > this.peak) {
      this.peak = count;
      this.peakKey = key;
    }
  }

  /** Keys counted in the seconds still kept (tests: the counter stays bounded). */
  get size(): number {
    let size = 0;
    for (const counts of this.seconds.values()) size += counts.size;
    return size;
  }
}
