import { PLATFORMS, type Platform } from '../config.ts';
import { LOCAL_DEFAULTS } from '../local/cloud.ts';
import { samplePurchase, signedHeaders } from '../local/sign.ts';

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
const body = JSON.stringify(
  samplePurchase({
    ...(option('email') ? { email: option('email') } : {}),
    ...(option('locale') ? { locale: option('locale') } : {}),
    ...(option('order') ? { orderId: option('order') } : {}),
  }),
);
const response = await fetch(`${apiUrl}/webhooks/generic/demo`, {
  method: 'POST',
  headers: signedHeaders('generic', body, secret),
  body,
}).catch((error: Error) => {
  console.error(`Could not reach ${apiUrl} (${error.message}). Is "npm start" running?`);
  process.exit(1);
});
console.log(`${response.status} ${await response.text()}`);
process.exit(response.ok ? 0 : 1);
