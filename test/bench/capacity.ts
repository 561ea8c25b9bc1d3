import { readFileSync } from 'node:fs';
import { machine } from './stats.ts';

/**
 * Issue 13 benchmark, the capacity model: N orders of one day in one time zone (the demo store's real config and
 * planner, the simulator's product mix and repeat buyers) played on the AWS-strict local cloud for `--days` virtual
 * days, event by event. Prints what the local cloud observed per order, then the orders per day each of AWS's default
 * quotas allows, scaled linearly from those figures, and the quota that binds.
 * Usage: npm run bench:capacity [-- --orders 1000 --days 90 --seed 1]
 */
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const ORDERS = option('orders', 1000);
const DAYS = option('days', 90);
const SEED = option('seed', 1);
const DAY = 86_400_000;
const ZONE = 'Europe/Amsterdam';
// Local midnight in Amsterdam (CET, UTC+1, before the 2030 switch to summer time) on a Monday.
const START = Date.parse('2030-03-03T23:00:00Z');

// Set before the functions' logger is loaded (hence the dynamic imports): throttling errors would drown the figures.
process.env.AFTERCARE_LOG_LEVEL ??= 'SILENT';
const { LOCAL_DEFAULTS, startLocalCloud } = await import('../../local-cloud/cloud.ts');
const runtime = await import('../../local-cloud/lambda-runtime.ts');
const { QUOTAS, SOURCES } = await import('./capacity-quotas.ts');
const { PerSecond } = await import('../../local-cloud/observations.ts');
const { signedHeaders } = await import('../../local-cloud/sign.ts');
const { generatePurchases, orderBody } = await import('../../ops/simulate/generate.ts');

console.log(`machine: ${machine()}`);
const began = performance.now();
const cloud = await startLocalCloud({ apiPort: 0, inboxPort: 0, timeScale: 1, startAt: START });
const purchases = generatePurchases(ORDERS, 1 / 30.44, SEED); // one day's orders, sorted by time
for (const purchase of purchases) {
  await cloud.fastForward(START + purchase.atMs);
  const body = JSON.stringify(
    orderBody(
      { ...purchase, customer: { ...purchase.customer, timeZone: ZONE } },
      new Date(cloud.clock.now()).toISOString(),
    ),
  );
  const response = await fetch(`${cloud.apiUrl}/webhooks/generic/demo`, {
    method: 'POST',
    headers: signedHeaders('generic', body, LOCAL_DEFAULTS.demoSecret),
    body,
  });
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
}
for (let day = 1; day <= DAYS; day += 1) {
  await cloud.fastForward(START + day * DAY);
  if (day % 10 === 0 || day === DAYS)
    console.log(`  day ${day} of ${DAYS} after ${Math.round((performance.now() - began) / 1000)} s`);
}
const end = cloud.clock.now();
const playedSeconds = (performance.now() - began) / 1000;

// What the local cloud observed.
const sfn = cloud.stepFunctions.observed;
const wakes = [...sfn.wakes.values()];
const wakesTotal = wakes.reduce((sum, w) => sum + w.total, 0);

const stepWakesPeak = Math.max(...wakes.map((w) => w.peak().count));
const emails = cloud.ses.observed.accepted.total;
const transitions = cloud.stepFunctions.stats().transitions;
const dynamoRequests = Object.values(cloud.dynamodb.requestCounts).reduce((a, b) => a + b, 0);
const mergedWakes = PerSecond.merge(wakes);
const allWakes = mergedWakes.peak();
/** Wakes in the virtual day (UTC-aligned 24 hours from START) holding `at`. */
const dayOf = (at: number) => {
  const from = START + Math.floor((at - START) / DAY) * DAY;
  return mergedWakes.between(from, from + DAY);
};
const stepMs = (runtime.invocationMs.step ?? 0) / Math.max(1, runtime.invocations.step ?? 0);
const invocationsPeak = runtime.invocationsPerSecond.peak().count;

// Open executions: measured while the run lasted, then each still-open execution until its last wake (a hop into a
// continuation counts on to the plan's last step), read from the execution's own input.
let openMsMeasured = 0;
let openMsAhead = 0;
let openAtEnd = 0;
for (const execution of cloud.stepFunctions.lifetimes()) {
  openMsMeasured += (execution.stopDate ?? end) - execution.startDate;
  if (execution.stopDate !== undefined || execution.input === undefined) continue;
  openAtEnd += 1;
  openMsAhead += Math.max(0, projectedClose(execution.input) - end);
}
const openDaysPerOrder = (openMsMeasured + openMsAhead) / DAY / ORDERS;

const per = (n: number) => n / ORDERS;
const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '∞');
const int = (n: number) => (Number.isFinite(n) ? Math.floor(n).toLocaleString('en-US') : 'unbounded');
const when = (ms: number) => new Date(ms).toLocaleString('en-GB', { timeZone: ZONE });

console.log(
  `${ORDERS} orders on ${when(START).split(',')[0]} in ${ZONE} (seed ${SEED}), ${DAYS} virtual days played in ${f(playedSeconds)} s`,
);
console.log(`\nobserved on the local cloud`);
console.log(
  `  open executions: peak ${sfn.peakOpen}; ${openAtEnd} still open after ${DAYS} days; open execution-days per order ${f(openDaysPerOrder)} (${f(openMsMeasured / DAY / ORDERS)} within the run + ${f(openMsAhead / DAY / ORDERS)} ahead, to each open execution's last planned wake)`,
);
console.log(`  executions by status at the end: ${JSON.stringify(cloud.stepFunctions.stats().byStatus)}`);
console.log(
  `  executions started: ${sfn.started} for ${emails} emails sent → ${f(sfn.started / Math.max(1, emails), 2)} executions per email (${f(per(sfn.started), 2)} per order, ${f(per(emails), 2)} emails per order)`,
);
console.log(
  `  wakes (step-Lambda invocations): ${wakesTotal}; busiest second ${allWakes.count} at ${when(allWakes.at)}: ${f((100 * allWakes.count) / Math.max(1, wakesTotal))} % of all wakes, ${f((100 * allWakes.count) / Math.max(1, dayOf(allWakes.at)))} % of that day's; one step function's busiest second ${stepWakesPeak}`,
);
const ses = cloud.ses.observed;
console.log(
  `  SES: busiest second ${ses.accepted.peak().count} sent, ${ses.calls.peak().count} SendEmail calls (${ses.calls.total - ses.accepted.total} calls refused in all, 429s included)`,
);
console.log(
  `  StartExecution calls: busiest second ${sfn.startCalls.peak().count}, busiest minute ${sfn.startCalls.peakOver(60)}; refused ${JSON.stringify(sfn.startRefusals)}`,
);
console.log(
  `  state transitions: ${f(per(transitions))} per order; busiest second ${sfn.transitions.peak().count}, busiest minute ${sfn.transitions.peakOver(60)}`,
);
console.log(
  `  Lambda: ${invocationsPeak} invocations in the busiest second; concurrency peak ${runtime.concurrencyPeaks.account} here (machine-bound: virtual time stands still while a function runs); step function ${f(stepMs, 0)} ms each here`,
);
const dynamo = cloud.dynamodb.observed;
console.log(
  `  DynamoDB: ${f(per(dynamoRequests))} requests per order (${f(per(dynamo.reads.total))} reads, ${f(per(dynamo.writes.total))} item writes); busiest second ${dynamo.reads.peak().count} reads, ${dynamo.writes.peak().count} writes; one partition key (${dynamo.hottestPartitionWrites.peakKey.split('#')[0]}#…) ${dynamo.hottestPartitionWrites.peak} writes in one second`,
);

// Orders per day each quota allows, scaled linearly from the figures for ORDERS orders in one day.
interface Limit {
  quota: string;
  /** A deployment setting of Aftercare's (cdk context), not an AWS quota: left out of the headline. */
  setting?: true;
  /** What a quota could give at best (perfectly spread), not what this run's peak allows: left out of the headline. */
  ceiling?: true;
  value: string;
  uses: string;
  allows: number;
  source: string;
}
const scale = (limit: number, used: number) => (used > 0 ? (ORDERS * limit) / used : Number.POSITIVE_INFINITY);
const reserved = QUOTAS.stepReservedConcurrency;
const unreserved = QUOTAS.lambdaAccountConcurrency - reserved * QUOTAS.stepFunctionCount;
const stepConcurrencyNeeded = (stepWakesPeak * stepMs) / 1000;
const sesPerDay = per(emails);
const limits: Limit[] = [
  {
    quota: 'Step Functions open executions',
    value: QUOTAS.openExecutions.toLocaleString('en-US'),
    uses: `${f(openDaysPerOrder)} open execution-days per order (steady state: orders/day × that)`,
    allows: QUOTAS.openExecutions / openDaysPerOrder,
    source: SOURCES.stepFunctions,
  },
  {
    quota: 'StartExecution bucket (burst)',
    value: `${QUOTAS.startExecutionBurst}`,
    uses: `${sfn.startCalls.peak().count} calls in the busiest second`,
    allows: scale(QUOTAS.startExecutionBurst, sfn.startCalls.peak().count),
    source: SOURCES.stepFunctions,
  },
  {
    quota: 'StartExecution refill',
    value: `${QUOTAS.startExecutionPerSecond}/s`,
    uses: `${f(sfn.startCalls.peakOver(60) / 60, 2)}/s over the busiest minute`,
    allows: scale(QUOTAS.startExecutionPerSecond, sfn.startCalls.peakOver(60) / 60),
    source: SOURCES.stepFunctions,
  },
  {
    quota: 'Lambda reserved concurrency, each step function (cdk context stepConcurrency)',
    setting: true,
    value: `${reserved} (deployed)`,
    uses: `${stepWakesPeak} wakes/s × ${f(stepMs, 0)} ms = ${f(stepConcurrencyNeeded, 2)} concurrent`,
    allows: scale(reserved, stepConcurrencyNeeded),
    source: SOURCES.lambda,
  },
  {
    quota: 'Lambda account concurrency (unreserved part)',
    value: `${QUOTAS.lambdaAccountConcurrency} (${unreserved} unreserved)`,
    uses: `${invocationsPeak} invocations/s × ${f(stepMs, 0)} ms = ${f((invocationsPeak * stepMs) / 1000, 2)} concurrent`,
    allows: scale(unreserved, (invocationsPeak * stepMs) / 1000),
    source: SOURCES.lambda,
  },
  {
    quota: 'SES sandbox, 24 hours',
    value: `${QUOTAS.sesSandboxPerDay}`,
    uses: `${f(sesPerDay, 2)} emails per order (within ${DAYS} days)`,
    allows: QUOTAS.sesSandboxPerDay / sesPerDay,
    source: SOURCES.sesSandbox,
  },
  {
    quota: 'SES sandbox, rate',
    value: `${QUOTAS.sesSandboxPerSecond}/s`,
    uses: `${ses.calls.peak().count} SendEmail calls in the busiest second`,
    allows: scale(QUOTAS.sesSandboxPerSecond, ses.calls.peak().count),
    source: SOURCES.sesSandbox,
  },
  {
    quota: 'SES production, rate (local cloud: AFTERCARE_SES_SEND_RATE)',
    value: `${cloud.ses.account.maxSendRate}/s (AWS: "varies by use case")`,
    uses: `${ses.calls.peak().count} SendEmail calls in the busiest second`,
    allows: scale(cloud.ses.account.maxSendRate, ses.calls.peak().count),
    source: SOURCES.sesQuotas,
  },
  {
    quota: 'SES production rate, ceiling if every email were spread evenly over 24 hours',
    ceiling: true,
    value: `${cloud.ses.account.maxSendRate}/s × 86,400 s`,
    uses: `${f(sesPerDay, 2)} emails per order`,
    allows: (cloud.ses.account.maxSendRate * 86_400) / sesPerDay,
    source: SOURCES.sesQuotas,
  },
  {
    quota: 'DynamoDB on-demand table writes',
    value: `${QUOTAS.dynamodbTableWriteUnits} WRU/s (new table: ${QUOTAS.dynamodbNewTableWriteUnits})`,
    uses: `${dynamo.writes.peak().count} item writes in the busiest second`,
    allows: scale(QUOTAS.dynamodbNewTableWriteUnits, dynamo.writes.peak().count),
    source: SOURCES.dynamodb,
  },
  {
    quota: 'DynamoDB on-demand table reads',
    value: `${QUOTAS.dynamodbTableReadUnits} RRU/s (new table: ${QUOTAS.dynamodbNewTableReadUnits})`,
    uses: `${dynamo.reads.peak().count} reads in the busiest second`,
    allows: scale(QUOTAS.dynamodbNewTableReadUnits, dynamo.reads.peak().count),
    source: SOURCES.dynamodb,
  },
  {
    quota: 'DynamoDB partition writes',
    value: `${QUOTAS.dynamodbPartitionWriteUnits} WRU/s`,
    uses: `${dynamo.hottestPartitionWrites.peak} writes to one partition key (${dynamo.hottestPartitionWrites.peakKey.split('#')[0]}#…) in one second`,
    allows: scale(QUOTAS.dynamodbPartitionWriteUnits, dynamo.hottestPartitionWrites.peak),
    source: SOURCES.dynamodbPartition,
  },
];
console.log(`\norders per day the default quotas allow (us-east-1; scaled linearly from ${ORDERS} orders in one day)`);
for (const limit of limits) {
  console.log(`  ${limit.quota}: ${limit.value}; Aftercare uses ${limit.uses} → ${int(limit.allows)} orders/day`);
  console.log(`      ${limit.source}`);
}
const usesScheduler = JSON.stringify(
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')),
).includes('@aws-sdk/client-scheduler');
console.log(
  `  EventBridge Scheduler: ${usesScheduler ? 'on this branch' : 'not used on this branch'}; defaults ${QUOTAS.schedulerSchedules.toLocaleString('en-US')} schedules, CreateSchedule ${QUOTAS.schedulerCreatePerSecond}/s, invocations ${QUOTAS.schedulerInvocationsPerSecond}/s\n      ${SOURCES.scheduler}`,
);
console.log(
  `  Step Functions state transitions: ${f(per(transitions))} per order, busiest second ${sfn.transitions.peak().count}; the default bucket is not in the documentation read (new accounts get reduced quotas): compare with the account's StateTransition quota in Service Quotas`,
);
const lowest = (list: Limit[]) => list.reduce((a, b) => (b.allows < a.allows ? b : a));
const quotas = limits.filter((limit) => !limit.setting && !limit.ceiling);
const binding = lowest(quotas.filter((limit) => !limit.quota.startsWith('SES sandbox')));
console.log(
  `\nbinding quota (SES out of the sandbox): ${binding.quota} → ${int(binding.allows)} orders/day per account and region`,
);
console.log(`in the SES sandbox: ${lowest(quotas).quota} → ${int(lowest(quotas).allows)} orders/day`);
for (const setting of limits.filter((limit) => limit.setting))
  console.log(
    `Aftercare's own setting: ${setting.quota} → throttled (and retried by the workflow) beyond ${int(setting.allows)} orders/day`,
  );
await cloud.stop();
process.exit(0);

/** When an open execution will close: at its last wake, or, if that hops into a continuation, at the last step. */
function projectedClose(input: string): number {
  const run = JSON.parse(input) as { wakes?: { at: string; hop?: boolean }[]; steps?: { at: string }[] };
  const last = run.wakes?.at(-1);
  if (!last) return end;
  const lastWake = Date.parse(last.at);
  if (!last.hop) return lastWake;
  return Math.max(lastWake, ...(run.steps ?? []).map((step) => Date.parse(step.at)));
}
