import { describe, expect, it } from 'vitest';

// Before the functions' logger loads (hence the dynamic imports): every injected fault would log an error line.
process.env.AFTERCARE_LOG_LEVEL = 'CRITICAL';
const { runShardedChaos } = await import('../bench/chaos/sharded.ts');

describe('under duplicate and late webhooks, transient AWS faults and two restarts, nothing is lost or sent twice', () => {
  it('keeps every invariant of bench:chaos at 0 for 300 purchases over 4 virtual months, in two shards', async () => {
    // Act: seed 5 plays refunds, unsubscribes and bounces inside the 4 months (the rates); two shards, each
    // a whole local cloud with its own faults and two restarts, as `npm run bench:chaos -- --workers 2` runs them.
    const { run, verdict, workers } = await runShardedChaos({ purchases: 300, months: 4, seed: 5, workers: 2 });
    const restarts = run.restartsAt.map((at) => new Date(at).toISOString());

    // Assess: the chaos happened in both shards (so the zeros mean something) …
    expect(workers).toBe(2);
    expect(restarts).toHaveLength(4);
    expect(run.acknowledged.orders.size).toBeGreaterThan(290);
    expect(run.webhooks.concurrentDuplicates).toBeGreaterThan(0);
    expect(run.webhooks.lateDuplicates).toBeGreaterThan(0);
    expect(Object.keys(run.faults.faults).some((name) => name.startsWith('dynamodb'))).toBe(true);
    expect(Object.keys(run.faults.faults).some((name) => name.startsWith('ses'))).toBe(true);
    expect(Object.keys(run.faults.faults).some((name) => name.startsWith('lambda step'))).toBe(true);
    expect(run.resumed).toBeGreaterThan(0);
    expect(run.acknowledged.refundedAt.size).toBeGreaterThan(0);
    expect(run.acknowledged.unsubscribedAt.size).toBeGreaterThan(0);
    expect(run.acknowledged.bouncedAt.size).toBeGreaterThan(0);
    expect(verdict.sentSteps).toBeGreaterThan(500);
    // … and no promise broke (the violations name the purchase and step when one does).
    expect({ restarts, failures: run.failures, violations: verdict.violations }).toEqual({
      restarts,
      failures: run.failures,
      violations: [],
    });
    expect(Object.values(verdict.invariants)).toEqual([0, 0, 0, 0, 0, 0]);
  }, 1_200_000);
});
