import { startLocalCloud } from '../../local-cloud/cloud.ts';
import { invocations } from '../../local-cloud/lambda-runtime.ts';
import { purchase } from '../support/local.ts';
import { machine } from './stats.ts';

/**
 * Issue 4 benchmark: state transitions, Lambda invocations and AWS calls per purchase for the default configuration
 * (a vacuum cleaner from the demo store: follow-up, survey, 24-month warranty, bag refill offer), played through two
 * virtual years, and the resulting AWS list cost per 1,000 purchases. Goal: ≤ 20 transitions per purchase.
 * Usage: npm run bench:per-purchase [-- --purchases 50] [-- --general]
 */
const args = process.argv.slice(2);
const index = args.indexOf('--purchases');
const PURCHASES = index >= 0 ? Number(args[index + 1]) : 50;
const DAY = 86_400_000;

// List prices (us-east-1, November 2026).
const PRICE = {
  transition: 0.025 / 1000,
  lambdaRequest: 0.2 / 1_000_000,
  lambdaGbSecond: 0.0000133334, // arm64
  dynamoWrite: 0.625 / 1_000_000,
  dynamoRead: 0.125 / 1_000_000,
  sesEmail: 0.1 / 1000,
  sfnApiCall: 0, // StartExecution/StopExecution are not billed beyond transitions
};
const LAMBDA_GB = 0.5;
const LAMBDA_SECONDS_PER_INVOCATION = 0.15; // measured locally below is machine-bound; AWS ~50–200 ms

console.log(`machine: ${machine()}`);
// A fixed start, purchases spread over one day, and time moved only by fast-forwarding (scale 1): the same
// figures at whatever hour and on whatever machine the benchmark runs.
const START = Date.parse('2030-03-04T00:00:00Z');
const cloud = await startLocalCloud({ apiPort: 0, inboxPort: 0, timeScale: 1, startAt: START });
for (const key of Object.keys(invocations)) invocations[key] = 0;
const dynamoBefore = { ...cloud.dynamodb.requestCounts };
const sesBefore = cloud.ses.sendCalls;
const product = args.includes('--general')
  ? { productType: 'Toaster', sku: 'TOAST-2', title: 'Toaster', tags: [] } // defaults only: follow-up, survey, 24-month warranty
  : {}; // the demo vacuum cleaner: defaults plus the bag-refill offer
for (let i = 0; i < PURCHASES; i += 1) {
  await cloud.fastForward(START + (i * DAY) / PURCHASES);
  await purchase(cloud, { orderId: `per-purchase-${i}`, email: `pp-${i}@example.com`, ...product });
}
// Two virtual years, event by event: time jumps to the next wait whenever nothing is running.
const began = performance.now();
await cloud.fastForward(START + 760 * DAY);
const playedMs = performance.now() - began;
const stats = cloud.stepFunctions.stats();
const dynamo = Object.fromEntries(
  Object.entries(cloud.dynamodb.requestCounts).map(([op, n]) => [op, n - (dynamoBefore[op] ?? 0)]),
);
const reads = (dynamo.GetItem ?? 0) + (dynamo.Query ?? 0) + (dynamo.BatchGetItem ?? 0);
const writes =
  (dynamo.PutItem ?? 0) +
  (dynamo.UpdateItem ?? 0) +
  (dynamo.DeleteItem ?? 0) +
  (dynamo.BatchWriteItem ?? 0) +
  (dynamo.TransactWriteItems ?? 0);
const emails = cloud.ses.sendCalls - sesBefore;
const lambda = Object.values(invocations).reduce((a, b) => a + b, 0);
const sfnCalls = stats.executions; // one StartExecution per execution (continuations included)
const per = (n: number) => n / PURCHASES;
const cost =
  stats.transitions * PRICE.transition +
  lambda * (PRICE.lambdaRequest + LAMBDA_GB * LAMBDA_SECONDS_PER_INVOCATION * PRICE.lambdaGbSecond) +
  writes * PRICE.dynamoWrite +
  reads * PRICE.dynamoRead +
  emails * PRICE.sesEmail;
console.log(`two virtual years played in ${(playedMs / 1000).toFixed(1)} s`);
console.log(
  `product: ${args.includes('--general') ? 'a toaster (store defaults: follow-up, survey, warranty)' : 'a vacuum cleaner (defaults + bag refill offer)'}`,
);
console.log(`purchases: ${PURCHASES}, executions: ${stats.executions} (${JSON.stringify(stats.byStatus)})`);
console.log(`state transitions per purchase: ${per(stats.transitions).toFixed(1)} (goal ≤ 20)`);
console.log(
  `Lambda invocations per purchase: ${per(lambda).toFixed(1)} (${Object.entries(invocations)
    .map(([f, n]) => `${f} ${per(n).toFixed(1)}`)
    .join(', ')})`,
);
console.log(
  `AWS calls per purchase: ${per(reads + writes + emails + sfnCalls).toFixed(1)} (DynamoDB reads ${per(reads).toFixed(1)}, writes ${per(writes).toFixed(1)}, SES ${per(emails).toFixed(1)}, Step Functions starts ${per(sfnCalls).toFixed(1)})`,
);
console.log(`emails per purchase: ${per(emails).toFixed(1)}`);
console.log(
  `AWS list cost per 1,000 purchases: $${((cost / PURCHASES) * 1000).toFixed(2)} (transitions $${(per(stats.transitions) * PRICE.transition * 1000).toFixed(2)}, SES $${(per(emails) * PRICE.sesEmail * 1000).toFixed(2)}, Lambda at ${LAMBDA_GB * 1024} MB × ${LAMBDA_SECONDS_PER_INVOCATION * 1000} ms, DynamoDB on-demand)`,
);
await cloud.stop();
process.exit(0);
