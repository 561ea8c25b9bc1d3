import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_DEFAULTS, startLocalCloud } from '../../infra/local/cloud.ts';
import { samplePurchase, signedHeaders } from '../../infra/local/sign.ts';
import { machine, ms, percentile } from './stats.ts';

/**
 * Issue 3 benchmark: webhook acknowledgement latency (p50, p99) through the local HTTP API, and its ratio to one raw
 * DynamoDB PutItem against the same local DynamoDB, measured interleaved in the same run (noisy machines).
 * Also prints how many AWS calls the acknowledgement path makes. Goal: p50 ratio ≤ 2.0.
 * The table stream consumer is paused so that only the acknowledgement path is measured.
 * Usage: npm run bench:webhook [-- --requests 2000]
 */
const args = process.argv.slice(2);
const index = args.indexOf('--requests');
const REQUESTS = index >= 0 ? Number(args[index + 1]) : 2000;
const WARMUP = 100;

console.log(`machine: ${machine()}`);
const cloud = await startLocalCloud({ apiPort: 0, inboxPort: 0 });
cloud.dynamodb.subscribe(
  () => false,
  async () => undefined,
);
const client = new DynamoDBClient({});
const webhookMs: number[] = [];
const putItemMs: number[] = [];
const callsBefore = { ...cloud.dynamodb.requestCounts };
const secretsBefore = Object.values(cloud.dynamodb.requestCounts).reduce((a, b) => a + b, 0);

for (let i = 0; i < REQUESTS + WARMUP; i += 1) {
  const body = JSON.stringify(samplePurchase({ orderId: `latency-${i}` }));
  const headers = signedHeaders('generic', body, LOCAL_DEFAULTS.demoSecret);
  const item = { PK: { S: `BENCH#${i}` }, SK: { S: 'BENCH' }, body: { S: body } };
  // Interleave the two measurements so machine noise hits both alike.
  const a = performance.now();
  const response = await fetch(`${cloud.apiUrl}/webhooks/generic/demo`, { method: 'POST', headers, body });
  await response.text();
  const b = performance.now();
  await client.send(
    new PutItemCommand({ TableName: 'aftercare', Item: item, ConditionExpression: 'attribute_not_exists(PK)' }),
  );
  const c = performance.now();
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
  if (i >= WARMUP) {
    webhookMs.push(b - a);
    putItemMs.push(c - b);
  }
}
const calls = Object.entries(cloud.dynamodb.requestCounts).map(
  ([operation, count]) => [operation, count - (callsBefore[operation] ?? 0)] as const,
);
const totalCalls = Object.values(cloud.dynamodb.requestCounts).reduce((a, b) => a + b, 0) - secretsBefore;
const webhookCalls = totalCalls - (REQUESTS + WARMUP); // minus the raw PutItems of the baseline
const p = (values: number[], q: number) => percentile(values, q);
console.log(`requests: ${REQUESTS} (+${WARMUP} warm-up), sequential, local HTTP API + local DynamoDB`);
console.log(`webhook ack   p50 ${ms(p(webhookMs, 50))}  p99 ${ms(p(webhookMs, 99))}`);
console.log(`raw PutItem   p50 ${ms(p(putItemMs, 50))}  p99 ${ms(p(putItemMs, 99))}`);
console.log(
  `ratio         p50 ${(p(webhookMs, 50) / p(putItemMs, 50)).toFixed(2)}×  p99 ${(p(webhookMs, 99) / p(putItemMs, 99)).toFixed(2)}× (goal: p50 ≤ 2.0×)`,
);
console.log(
  `AWS calls on the ack path: ${(webhookCalls / (REQUESTS + WARMUP)).toFixed(2)} per webhook (${calls.map(([o, n]) => `${o} ${n}`).join(', ')}, incl. the baseline's PutItems)`,
);
client.destroy();
await cloud.stop();
process.exit(0);
