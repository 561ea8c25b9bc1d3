import { describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { renderSimulation } from '../../ops/commands/simulate.ts';
import { costPer1000, totals } from '../../ops/simulate/cost.ts';
import { generatePurchases } from '../../ops/simulate/generate.ts';
import { runSimulation } from '../../ops/simulate/run.ts';
import { runShardedSimulation } from '../../ops/simulate/sharded.ts';

describe('aftercare simulate: generated shop, measured cloud', () => {
  it('generates the same realistic spread for the same seed', () => {
    const purchases = generatePurchases(4000, 24, 3);
    expect(generatePurchases(4000, 24, 3)).toEqual(purchases);
    const share = (test: (p: (typeof purchases)[number]) => boolean) => purchases.filter(test).length / 4000;
    expect(share((p) => p.refundAfterMs !== undefined)).toBeCloseTo(0.05, 1);
    expect(share((p) => p.answer !== undefined)).toBeCloseTo(0.35, 1);
    expect(share((p) => p.unsubscribeAfterMs !== undefined)).toBeCloseTo(0.02, 1);
    expect(share((p) => p.bounces)).toBeCloseTo(0.01, 1);
    expect(share((p) => p.items.some((item) => item.tags.includes('coffee')))).toBeGreaterThan(0.2);
    expect(share((p) => p.items.some((item) => item.productType === 'Vacuum cleaner'))).toBeGreaterThan(0.2);
    expect(new Set(purchases.map((p) => p.customer.locale))).toEqual(new Set(['en', 'nl', 'de', 'fr', 'es']));
    expect(new Set(purchases.map((p) => p.customer.timeZone)).size).toBeGreaterThan(8);
    const times = purchases.map((p) => p.atMs);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // Detractors are a minority: the score distribution leans positive.
    const scores = purchases.flatMap((p) => (p.answer ? [p.answer.score] : []));
    expect(scores.filter((s) => s >= 9).length).toBeGreaterThan(scores.filter((s) => s <= 6).length * 2);
  });

  it('prices usage per 1,000 purchases at list prices', () => {
    const lines = costPer1000(
      {
        purchases: 500,
        transitions: 20_000,
        lambdaInvocations: 7_000,
        dynamoRequests: { GetItem: 15_000, Query: 1_000, PutItem: 10_000, UpdateItem: 4_000 },
        emails: 2_000,
        apiRequests: 1_000,
      },
      100,
    );
    const usd = Object.fromEntries(lines.map((line) => [line.item, line.usd]));
    expect(usd['Step Functions Standard']).toBeCloseTo(1.0, 6); // 40,000 transitions × $0.025/1,000
    expect(usd.SES).toBeCloseTo(0.4, 6); // 4,000 emails × $0.10/1,000
    expect(usd['DynamoDB writes (≥)']).toBeCloseTo(0.0175, 6); // 28,000 × $0.625/1M
    expect(usd['DynamoDB reads (≥)']).toBeCloseTo(0.004, 6); // 32,000 × $0.125/1M
    expect(usd['Lambda compute arm64 512 MB (100 ms avg)']).toBeCloseTo(14_000 * 0.1 * 0.5 * 0.000_013_333_4, 6);
    const { at128, at512 } = totals(lines);
    expect(at512 - at128).toBeCloseTo(14_000 * 0.1 * (0.5 - 0.125) * 0.000_013_333_4, 6);
  });

  it('plays purchases through virtual months and reports per-purchase figures', async () => {
    // Act
    let inbox: Awaited<ReturnType<LocalCloud['ses']['inbox']>> = [];
    const result = await runSimulation({
      purchases: 30,
      months: 3,
      seed: 11,
      realSeconds: 6,
      inspect: async (cloud) => {
        inbox = await cloud.ses.inbox();
      },
    });
    // Assess
    expect(result.tally.webhooks).toBeGreaterThanOrEqual(30);
    expect(result.tally.rejected).toBe(0);
    expect(result.invocations.webhook).toBe(result.tally.webhooks);
    expect(result.invocations.step).toBeGreaterThan(30);
    expect(result.emails).toBeGreaterThan(30);
    expect(result.transitions).toBeGreaterThan(result.executions);
    expect(result.dynamodb.PutItem).toBeGreaterThan(30);
    // The inbox keeps every accepted email's id and headers, not its HTML (a long run's memory)
    expect(inbox.length).toBeGreaterThan(30);
    expect(inbox.every((email) => email.headers?.some((h) => h.name === 'X-Aftercare-Step'))).toBe(true);
    expect(inbox.filter((email) => email.body.html ?? email.body.text)).toEqual([]);
    const text = renderSimulation(result);
    expect(text).toMatch(/Throughput\s+[\d.]+ purchases\/s/);
    expect(text).toMatch(/Emails\s+[\d.]+ per purchase/);
    expect(text).toMatch(/Total\s+\$[\d.]+ at 128 MB · \$[\d.]+ at 512 MB per 1,000 purchases/);
  }, 180_000);

  it('plays two shards, each a whole local cloud in its own worker thread, and adds their figures up', async () => {
    // Act
    const result = await runShardedSimulation({ purchases: 30, months: 3, seed: 11, realSeconds: 6, workers: 2 });
    // Assess: every purchase was played once, in one shard or the other, on a cloud that sent and woke steps
    expect(result.purchases).toBe(30);
    expect(result.tally.webhooks).toBeGreaterThanOrEqual(30);
    expect(result.tally.rejected).toBe(0);
    expect(result.invocations.webhook).toBe(result.tally.webhooks);
    expect(result.emails).toBeGreaterThan(30);
    expect(result.peakRssBytes).toBeGreaterThan(0);
    const text = renderSimulation(result);
    expect(text).toMatch(/Shards\s+2 \(each its own local cloud and account/);
    expect(text).toMatch(/peak RSS \d+ MiB \(all workers\)/);
  }, 180_000);
});
