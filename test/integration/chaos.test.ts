import { describe, expect, it } from 'vitest';

// Before the functions' logger loads (hence the dynamic imports): every injected fault would log an error line.
process.env.AFTERCARE_LOG_LEVEL = 'CRITICAL';
const { checkInvariants } = await import('../bench/chaos/check.ts');
const { runChaos } = await import('../bench/chaos/run.ts');

describe('under duplicate and late webhooks, transient AWS faults and two restarts, nothing is lost or sent twice', () => {
  it('keeps every invariant of bench:chaos at 0 for 60 purchases over 4 virtual months', async () => {
    // Act: seed 5 plays refunds, unsubscribes and bounces inside the 4 months (the rates, few purchases).
    const run = await runChaos({ purchases: 60, months: 4, seed: 5 });
    const verdict = checkInvariants(run);
    const restarts = run.restartsAt.map((at) => new Date(at).toISOString());

    // Assess: the chaos happened (so the zeros mean something) …
    expect(run.webhooks.concurrentDuplicates).toBeGreaterThan(0);
    expect(run.webhooks.lateDuplicates).toBeGreaterThan(0);
    expect(Object.keys(run.faults.faults).some((name) => name.startsWith('dynamodb'))).toBe(true);
    expect(Object.keys(run.faults.faults).some((name) => name.startsWith('ses'))).toBe(true);
    expect(Object.keys(run.faults.faults).some((name) => name.startsWith('lambda step'))).toBe(true);
    expect(run.resumed).toBeGreaterThan(0);
    expect(run.acknowledged.refundedAt.size).toBeGreaterThan(0);
    expect(run.acknowledged.unsubscribedAt.size).toBeGreaterThan(0);
    expect(run.acknowledged.bouncedAt.size).toBeGreaterThan(0);
    expect(verdict.sentSteps).toBeGreaterThan(100);
    // … and no promise broke (the violations name the purchase and step when one does).
    expect({ restarts, failures: run.failures, violations: verdict.violations }).toEqual({
      restarts,
      failures: run.failures,
      violations: [],
    });
    expect(Object.values(verdict.invariants)).toEqual([0, 0, 0, 0, 0, 0]);
  }, 120_000);
});
