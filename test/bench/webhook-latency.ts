import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_DEFAULTS, startLocalCloud } from '../../local-cloud/cloud.ts';
import { invoke } from '../../local-cloud/lambda-runtime.ts';
import { samplePurchase, signedHeaders } from '../../local-cloud/sign.ts';
import { machine, ms, percentile } from './stats.ts';

/**
 * Issue 18 benchmark: the webhook acknowledgement against the physical minimum of an ack, one durable write to the
 * bare DynamoDB emulator. Four figures measured interleaved in one run (noisy machines): the ack over HTTP, the
 * webhook handler alone (invoked as Lambda would, no HTTP), a PutItem through the local cloud's write path (stream
 * proxy + IAM-free operator call), and a PutItem to bare dynalite. Headline: ack p50 ÷ bare PutItem p50, goal ≤ 2.0.
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
const proxied = new DynamoDBClient({});
const bare = new DynamoDBClient({ endpoint: cloud.dynamodb.bareEndpoint });
const figures = { ack: [] as number[], handler: [] as number[], proxied: [] as number[], bare: [] as number[] };

const put = (client: DynamoDBClient, key: string, body: string) =>
  client.send(
    new PutItemCommand({
      TableName: 'aftercare',
      Item: { PK: { S: key }, SK: { S: 'BENCH' }, body: { S: body } },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );

for (let i = 0; i < REQUESTS + WARMUP; i += 1) {
  const body = JSON.stringify(samplePurchase({ orderId: `latency-${i}` }));
  const direct = JSON.stringify(samplePurchase({ orderId: `latency-direct-${i}` }));
  const headers = signedHeaders('generic', body, LOCAL_DEFAULTS.demoSecret);
  const directHeaders = signedHeaders('generic', direct, LOCAL_DEFAULTS.demoSecret);
  const event = {
    version: '2.0',
    routeKey: 'POST /webhooks/{platform}/{storeId}',
    rawPath: '/webhooks/generic/demo',
    rawQueryString: '',
    headers: Object.fromEntries(Object.entries(directHeaders).map(([k, v]) => [k.toLowerCase(), v])),
    body: direct,
    isBase64Encoded: false,
    pathParameters: { platform: 'generic', storeId: 'demo' },
    requestContext: {
      http: { method: 'POST', path: '/webhooks/generic/demo', sourceIp: '127.0.0.1' },
      requestId: `r${i}`,
    },
  };
  // Interleave the four measurements so machine noise hits all alike.
  const t0 = performance.now();
  const response = await fetch(`${cloud.apiUrl}/webhooks/generic/demo`, { method: 'POST', headers, body });
  await response.text();
  const t1 = performance.now();
  const result = (await invoke('webhook', event)) as { statusCode?: number };
  const t2 = performance.now();
  await put(proxied, `BENCH#P#${i}`, body);
  const t3 = performance.now();
  await put(bare, `BENCH#B#${i}`, body);
  const t4 = performance.now();
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
  if (result?.statusCode !== 200) throw new Error(`webhook handler answered ${result?.statusCode}`);
  if (i >= WARMUP) {
    figures.ack.push(t1 - t0);
    figures.handler.push(t2 - t1);
    figures.proxied.push(t3 - t2);
    figures.bare.push(t4 - t3);
  }
}
const p = (values: number[], q: number) => percentile(values, q);
console.log(`requests: ${REQUESTS} (+${WARMUP} warm-up), sequential, interleaved, on the AWS-strict local cloud`);
const row = (label: string, values: number[]) =>
  console.log(`${label.padEnd(34)} p50 ${ms(p(values, 50)).padStart(9)}  p99 ${ms(p(values, 99)).padStart(9)}`);
row('webhook ack over HTTP', figures.ack);
row('webhook handler alone (no HTTP)', figures.handler);
row('PutItem, local cloud write path', figures.proxied);
row('PutItem, bare dynalite', figures.bare);
const ratio = (a: number[], b: number[], q: number) => (p(a, q) / p(b, q)).toFixed(2);
console.log(
  `HEADLINE ack ÷ bare PutItem      p50 ${ratio(figures.ack, figures.bare, 50)}×  p99 ${ratio(figures.ack, figures.bare, 99)}× (goal: p50 ≤ 2.0×)`,
);
console.log(
  `         ack ÷ proxied PutItem   p50 ${ratio(figures.ack, figures.proxied, 50)}× (the old, flattering denominator)`,
);
console.log(
  `         proxy cost per write    p50 ${ms(p(figures.proxied, 50) - p(figures.bare, 50))} (on AWS the stream costs the writer nothing)`,
);
proxied.destroy();
bare.destroy();
await cloud.stop();
process.exit(0);
