import { describe, expect, it } from 'vitest';
import { generatePurchases } from '../../../ops/simulate/generate.ts';
import type { SimulationResult } from '../../../ops/simulate/run.ts';
import { inShard, mergeSimulations, shardOf } from '../../../ops/simulate/shards.ts';

const result = (purchases: number, emails: number, extra: Partial<SimulationResult> = {}): SimulationResult => ({
  purchases,
  months: 24,
  seed: 1,
  timeScale: 1000,
  realSeconds: purchases,
  tally: {
    webhooks: purchases * 2,
    rejected: 0,
    pageRequests: 1,
    refunds: 1,
    answers: 2,
    unsubscribes: 0,
    bounces: 0,
    offerPurchases: 0,
    probes: { GetItem: 3 },
  },
  emails,
  executions: purchases * 3,
  byStatus: { SUCCEEDED: purchases * 3 },
  transitions: purchases * 40,
  invocations: { webhook: purchases * 2, step: purchases * 5 },
  invocationMs: { webhook: 10, step: 20 },
  dynamodb: { PutItem: purchases, GetItem: 7 },
  ...extra,
});

describe('simulate --workers N splits the shop into shards by customer', () => {
  it('plays the same purchases for the same seed whatever the number of shards', () => {
    // Prepare
    const shop = generatePurchases(2000, 24, 7);
    for (const count of [1, 2, 3, 5]) {
      // Act
      const shards = Array.from({ length: count }, (_, index) => inShard(shop, { index, count }));
      // Assess: every purchase is in exactly one shard, each shard keeps the shop's time order
      expect(
        shards
          .flat()
          .map((p) => p.orderId)
          .sort(),
      ).toEqual(shop.map((p) => p.orderId).sort());
      for (const shard of shards)
        expect(shard.map((p) => p.atMs)).toEqual([...shard.map((p) => p.atMs)].sort((a, b) => a - b));
    }
    expect(generatePurchases(2000, 24, 7)).toEqual(shop);
  });

  it('keeps every order of a customer in one shard, repeat customers included', () => {
    const shop = generatePurchases(3000, 24, 2);
    const repeatCustomers = new Set(
      shop.map((p) => p.customer.email).filter((email, i, all) => all.indexOf(email) !== i),
    );
    expect(repeatCustomers.size).toBeGreaterThan(20);
    const shardsOf = new Map<string, Set<number>>();
    for (let index = 0; index < 2; index += 1)
      for (const p of inShard(shop, { index, count: 2 }))
        shardsOf.set(p.customer.email, (shardsOf.get(p.customer.email) ?? new Set()).add(index));
    expect([...shardsOf.values()].filter((shards) => shards.size > 1)).toEqual([]);
    // … and the split is even enough for the second core to matter (within 10 % of half)
    const first = inShard(shop, { index: 0, count: 2 }).length;
    expect(Math.abs(first / shop.length - 0.5)).toBeLessThan(0.05);
    expect(shardOf('a@example.com', 4)).toBe(shardOf('a@example.com', 4));
  });

  it('merges the shards’ figures into their sums', () => {
    // Act
    const merged = mergeSimulations([
      result(100, 250, { byStatus: { SUCCEEDED: 300, FAILED: 1 } }),
      result(60, 140, { invocations: { webhook: 120, step: 300, 'ses-events': 4 } }),
    ]);
    // Assess
    expect(merged.purchases).toBe(160);
    expect(merged.emails).toBe(390);
    expect(merged.executions).toBe(480);
    expect(merged.transitions).toBe(6400);
    expect(merged.byStatus).toEqual({ SUCCEEDED: 480, FAILED: 1 });
    expect(merged.invocations).toEqual({ webhook: 320, step: 800, 'ses-events': 4 });
    expect(merged.dynamodb).toEqual({ PutItem: 160, GetItem: 14 });
    expect(merged.tally.webhooks).toBe(320);
    expect(merged.tally.probes).toEqual({ GetItem: 6 });
    // … while the run's settings stay what they were, and its real time is the slowest shard's
    expect([merged.months, merged.seed, merged.timeScale, merged.realSeconds]).toEqual([24, 1, 1000, 100]);
  });
});
