import { costPer1000, totals } from '../../../ops/simulate/cost.ts';
import type { Verdict } from './check.ts';
import type { ChaosFigures, ShardedChaos } from './sharded.ts';

const sum = (values: Record<string, number>) => Object.values(values).reduce((total, value) => total + value, 0);

/** The figures a chaos run prints: the invariants first (each must be 0), then what the run cost. */
export function renderChaos(
  run: ChaosFigures,
  verdict: Verdict,
  whole?: Omit<ShardedChaos, 'run' | 'verdict'>,
): string {
  const orders = run.acknowledged.orders.size || 1;
  const lambdaInvocations = sum(run.invocations);
  const lambdaMs = Math.max(1, Math.round(sum(run.invocationMs) / (lambdaInvocations || 1)));
  const lines = costPer1000(
    {
      purchases: orders,
      transitions: run.transitions,
      lambdaInvocations,
      dynamoRequests: run.dynamodbRequests,
      emails: run.emails,
      apiRequests: run.webhooks.posted,
    },
    lambdaMs,
  );
  const { at128, at512 } = totals(lines);
  const out = [
    `${run.options.purchases} purchases over ${run.options.months} virtual months in ${run.realSeconds.toFixed(0)} s real`,
    ...(whole
      ? [
          `shards ${whole.workers} (each its own local cloud and account with ~1/${whole.workers} of the customers, its own faults and two restarts: invariants and per-purchase figures are the shop's, account-wide rates each shard's)`,
          `CPU ${whole.cpuSeconds.toFixed(0)} s for the whole run (${((whole.cpuSeconds / run.options.purchases) * 1000).toFixed(0)} ms per purchase), peak RSS ${Math.round(whole.peakRssBytes / 2 ** 20)} MiB (all workers)`,
        ]
      : []),
    `webhooks posted ${run.webhooks.posted} (duplicates ${run.webhooks.duplicates}: ${run.webhooks.concurrentDuplicates} concurrent, ${run.webhooks.lateDuplicates} late/out of order), never acknowledged after retries ${run.acknowledged.unacknowledged}`,
    `customers: ${run.acknowledged.refundedAt.size} refunds, ${run.acknowledged.unsubscribedAt.size} unsubscribes, ${run.acknowledged.bouncedAt.size} bounces`,
    `faults injected: ${sum(run.faults.faults)} of ${run.faults.calls} AWS calls by functions (${Object.entries(
      run.faults.faults,
    )
      .sort(([, a], [, b]) => b - a)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ')})`,
    `restarts at ${run.restartsAt.map((at) => new Date(at).toISOString().slice(0, 10)).join(' and ')}: ${run.resumed} runs resumed`,
    '',
    'invariants (each must be 0):',
    ...Object.entries(verdict.invariants).map(([name, count]) => `  ${count === 0 ? 'ok ' : 'BAD'} ${name} ${count}`),
    ...verdict.violations
      .slice(0, 20)
      .map((v) => `      ${v.invariant}: order ${v.orderId} step ${v.step}: ${v.detail}`),
    ...run.failures.slice(0, 10).map((f) => `  failed execution ${f.name}: ${f.error} ${f.cause ?? ''}`),
    '',
    `due steps ${verdict.dueSteps}: sent ${verdict.sentSteps}, not sent with a recorded reason ${verdict.dueSteps - verdict.sentSteps - verdict.invariants.dueEmailsUnexplained + countSentViolations(verdict)}`,
    ...Object.entries(verdict.unsentByReason)
      .sort(([, a], [, b]) => b - a)
      .map(([reason, count]) => `  ${reason} ${count}`),
    '',
    `per purchase: ${(run.executions / orders).toFixed(2)} executions (${run.failedExecutions} failed or timed out in all), ${(run.transitions / orders).toFixed(1)} state transitions, ${(lambdaInvocations / orders).toFixed(1)} Lambda invocations, ${(sum(run.dynamodbRequests) / orders).toFixed(1)} DynamoDB requests, ${(run.emails / orders).toFixed(2)} emails`,
    `cost per 1,000 purchases (list prices, README "Cost"):`,
    ...lines.map(
      (line) =>
        `  ${line.item.padEnd(44)} ${line.per1000.toFixed(1).padStart(10)} ${line.unit.padEnd(12)} $${line.usd.toFixed(4)}`,
    ),
    `  total $${at128.toFixed(3)} at 128 MB, $${at512.toFixed(3)} at 512 MB`,
  ];
  return out.join('\n');
}

/** Sent steps missing from the inbox are counted among both the sent and the unexplained. */
function countSentViolations(verdict: Verdict): number {
  return verdict.violations.filter((v) => v.detail.startsWith('recorded sent')).length;
}
