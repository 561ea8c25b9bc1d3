import { LOCAL_DEFAULTS, startLocalCloud } from '../../local-cloud/cloud.ts';
import { samplePurchase, signedHeaders } from '../../local-cloud/sign.ts';
import { machine, median, ms } from './stats.ts';

/**
 * Issue 2 benchmark: how long the local cloud takes to start (until /health answers 200), and how many purchases
 * per second go through the whole skeleton path: signed webhook → stored → stream → workflow → email in the inbox.
 * Usage: npm run bench:local-cloud [-- --purchases 200 --starts 3]
 */
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const PURCHASES = option('purchases', 200);
const STARTS = option('starts', 3);

console.log(`machine: ${machine()}`);
const startTimes: number[] = [];
for (let run = 0; run < STARTS; run += 1) {
  const started = performance.now();
  const cloud = await startLocalCloud({ apiPort: 0, inboxPort: 0, timeScale: 2_592_000 });
  const health = await fetch(`${cloud.apiUrl}/health`);
  if (health.status !== 200) throw new Error(`/health answered ${health.status}`);
  startTimes.push(performance.now() - started);
  if (run < STARTS - 1) await cloud.stop();
  else {
    // Throughput through the skeleton path, on the last cloud.
    const bodies = Array.from({ length: PURCHASES }, (_, i) =>
      JSON.stringify(
        samplePurchase({
          orderId: `bench-${i}`,
          email: `bench-${i}@example.com`,
          createdAt: new Date(cloud.clock.now()).toISOString(),
        }),
      ),
    );
    const began = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++] as string;
          const response = await fetch(`${cloud.apiUrl}/webhooks/generic/demo`, {
            method: 'POST',
            headers: signedHeaders('generic', body, LOCAL_DEFAULTS.demoSecret),
            body,
          });
          if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
        }
      }),
    );
    const acked = performance.now() - began;
    const deadline = Date.now() + 120_000;
    let thanks = 0;
    while (Date.now() < deadline) {
      const emails = (await cloud.ses.inbox()).filter((email) =>
        email.headers?.some((h) => h.name === 'X-Aftercare-Step' && h.value === 'thanks'),
      );
      thanks = emails.length;
      if (thanks >= PURCHASES) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const total = performance.now() - began;
    console.log(`purchases:                ${PURCHASES} (8 concurrent senders, AFTERCARE_TIME_SCALE=2592000)`);
    console.log(`webhooks acknowledged in: ${ms(acked)} → ${(PURCHASES / (acked / 1000)).toFixed(1)} webhooks/s`);
    console.log(`first email (thanks) for all purchases in the inbox after: ${ms(total)} (${thanks}/${PURCHASES})`);
    console.log(`skeleton path throughput: ${(thanks / (total / 1000)).toFixed(1)} purchases/s (webhook → email)`);
    await cloud.stop();
  }
}
// The first start pays for importing every module; later starts in this process reuse them: report both.
console.log(
  `local cloud start (until /health is 200): first ${ms(startTimes[0] ?? Number.NaN)} (fresh process), restarts median ${ms(median(startTimes.slice(1)))}`,
);
process.exit(0);
