import { PLATFORMS, type Platform } from '../functions/shared/domain/vocabulary.ts';
import { LOCAL_DEFAULTS } from '../local-cloud/cloud.ts';
import { samplePurchase, signedHeaders } from '../local-cloud/sign.ts';

/**
 * `npm run sample-webhook [-- --email you@example.com --locale nl]`: posts a signed generic purchase for the demo
 * store to the running local cloud (AFTERCARE_API_URL, default http://localhost:3000) and prints the answer.
 */
const args = process.argv.slice(2);
const option = (name: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const platform = (option('platform') ?? 'generic') as Platform;
if (!PLATFORMS.includes(platform) || platform !== 'generic') {
  console.error('sample-webhook posts the generic (Standard Webhooks) format; use --platform generic');
  process.exit(2);
}
const apiUrl =
  process.env.AFTERCARE_API_URL ?? `http://localhost:${process.env.AFTERCARE_API_PORT || LOCAL_DEFAULTS.apiPort}`;
const secret = process.env.AFTERCARE_DEMO_SECRET || LOCAL_DEFAULTS.demoSecret;
const unreachable = (error: Error): never => {
  console.error(`Could not reach ${apiUrl} (${error.message}). Is "npm start" running?`);
  process.exit(1);
};
// The order is created "now" on the local cloud's clock: with AFTERCARE_TIME_SCALE=2592000 a real second is a
// virtual month, and an order stamped with the wall clock would already be too old for its emails.
const health = await fetch(`${apiUrl}/health`).catch(unreachable);
const { now } = (await health.json().catch(() => ({}))) as { now?: string };
const body = JSON.stringify(
  samplePurchase({
    ...(now ? { createdAt: now } : {}),
    ...(option('email') ? { email: option('email') } : {}),
    ...(option('locale') ? { locale: option('locale') } : {}),
    ...(option('order') ? { orderId: option('order') } : {}),
  }),
);
const response = await fetch(`${apiUrl}/webhooks/generic/demo`, {
  method: 'POST',
  headers: signedHeaders('generic', body, secret),
  body,
}).catch(unreachable);
console.log(`${response.status} ${await response.text()}`);
process.exit(response.ok ? 0 : 1);
