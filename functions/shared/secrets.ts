import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import type { Platform } from './domain/vocabulary.ts';
import { environment, storeSecretVariable } from './env.ts';
import { logger } from './logger.ts';
import { secretProblem } from './sources/signing-keys.ts';

/**
 * Webhook signing secrets and the link-signing key. Locally they come from the environment
 * (AFTERCARE_DEMO_SECRET, AFTERCARE_SECRET_<STORE>[__<PLATFORM>], AFTERCARE_LINK_SECRET); on AWS from Secrets
 * Manager (the secret named by AFTERCARE_SECRETS_ARN), read at cold start and cached for 5 minutes. Never logged.
 */
const secretDocumentSchema = z.object({
  linkSigningKey: z.string().min(32),
  stores: z.record(z.string(), z.record(z.string(), z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]))),
});
type SecretDocument = z.infer<typeof secretDocumentSchema>;

/** Re-read after 5 minutes, so a new store's or a rotated secret is seen without recycling containers. */
const CACHE_MS = 5 * 60_000;
let cached: Promise<SecretDocument> | undefined;
let cachedAt = 0;

function document(): Promise<SecretDocument> {
  if (!cached || Date.now() - cachedAt > CACHE_MS) {
    cachedAt = Date.now();
    cached = fromSecretsManager().catch((error: unknown) => {
      cached = undefined; // a failed read is retried by the next request, not cached
      throw error;
    });
  }
  return cached;
}

async function fromSecretsManager(): Promise<SecretDocument> {
  const secretId = environment().AFTERCARE_SECRETS_ARN;
  if (!secretId) throw new Error('AFTERCARE_SECRETS_ARN is not set');
  const result = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretId }));
  const parsed = secretDocumentSchema.safeParse(JSON.parse(result.SecretString ?? '{}'));
  if (!parsed.success)
    throw new Error(`secret ${secretId} does not have the documented shape: ${parsed.error.issues[0]?.path.join('.')}`);
  return parsed.data;
}

/**
 * Store ids are lower-case letters, digits and dashes; dashes become `_` and the platform follows after `__`, so
 * store `acme-shopify` (AFTERCARE_SECRET_ACME_SHOPIFY) and store `acme`'s Shopify secret
 * (AFTERCARE_SECRET_ACME__SHOPIFY) never share a name. A store id with `--` could still collide: it gets none.
 */
export function secretEnvName(storeId: string, platform?: Platform): string {
  const store = storeId.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return `AFTERCARE_SECRET_${store}${platform ? `__${platform.toUpperCase()}` : ''}`;
}

function fromEnvironment(storeId: string, platform: Platform): string[] {
  const values = storeId.includes('--')
    ? []
    : [storeSecretVariable(secretEnvName(storeId, platform)), storeSecretVariable(secretEnvName(storeId))];
  if (storeId === 'demo') values.push(environment().AFTERCARE_DEMO_SECRET);
  return values.flatMap((value) =>
    value
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
  );
}

/** Secrets too weak to prove anything are refused when loaded (logged without the value), never tried. */
function usable(storeId: string, platform: Platform, secrets: string[]): string[] {
  return secrets.filter((secret) => {
    const problem = secretProblem(platform, secret);
    if (problem) logger.error('webhook secret refused', { storeId, platform, problem });
    return problem === undefined;
  });
}

/** All usable secrets currently valid for a store and platform (several during a rotation). */
export async function webhookSecrets(storeId: string, platform: Platform): Promise<string[]> {
  if (environment().AFTERCARE_STAGE === 'local') return usable(storeId, platform, fromEnvironment(storeId, platform));
  const value = (await document()).stores[storeId]?.[platform];
  return usable(storeId, platform, value === undefined ? [] : Array.isArray(value) ? value : [value]);
}

export async function linkSigningKey(): Promise<string> {
  if (environment().AFTERCARE_STAGE === 'local') {
    const key = environment().AFTERCARE_LINK_SECRET;
    if (!key) throw new Error('AFTERCARE_LINK_SECRET is not set');
    return key;
  }
  return (await document()).linkSigningKey;
}
