import { resolve } from 'node:path';
import { resetClients } from '../functions/shared/clients.ts';
import { getConfig, getStore, resetConfig } from '../functions/shared/config/load.ts';
import type { StoreConfig } from '../functions/shared/config/schema.ts';
import { LOCAL_DEFAULTS } from '../local-cloud/cloud.ts';
import { UsageError } from './command.ts';

export interface Target {
  endpoint?: string | undefined;
  aws?: boolean | undefined;
  table?: string | undefined;
  config?: string | undefined;
}

/**
 * Points the shared SDK clients and configuration at the table the operator named. The functions' own
 * variables do the work (AWS_ENDPOINT_URL_DYNAMODB, AFTERCARE_TABLE, AFTERCARE_CONFIG), so the CLI reads exactly
 * what the functions write. Without --endpoint or --aws it is the local cloud of `npm start` (its DynamoDB listens
 * on AFTERCARE_DYNAMODB_PORT, 8000 by default); a local endpoint needs no real credentials.
 */
export function useTarget(target: Target): void {
  const env = process.env;
  if (target.aws && target.endpoint) throw new UsageError('--aws: give either --aws or --endpoint, not both');
  if (target.aws) delete env.AWS_ENDPOINT_URL_DYNAMODB;
  const changes: Record<string, string> = {};
  if (target.endpoint) changes.AWS_ENDPOINT_URL_DYNAMODB = target.endpoint;
  else if (!target.aws && !env.AWS_ENDPOINT_URL_DYNAMODB)
    changes.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${env.AFTERCARE_DYNAMODB_PORT || LOCAL_DEFAULTS.dynamodbPort}`;
  if (target.table) changes.AFTERCARE_TABLE = target.table;
  if (target.config) changes.AFTERCARE_CONFIG = resolve(target.config);
  const changed = target.aws || Object.entries(changes).some(([name, value]) => env[name] !== value);
  Object.assign(env, changes);
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB;
  if (endpoint && /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:|\/|$)/.test(endpoint)) {
    env.AWS_REGION ??= 'us-east-1';
    if (!env.AWS_ACCESS_KEY_ID) Object.assign(env, { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
  }
  if (changed) {
    resetClients();
    resetConfig();
  }
}

/** The configured store, or a usage error listing the ones there are. */
export function requireStore(storeId: string): StoreConfig {
  const store = getStore(storeId);
  if (!store) {
    const known = getConfig()
      .stores.map((s) => s.id)
      .join(', ');
    throw new UsageError(`--store: no store "${storeId}" in the configuration (configured: ${known})`);
  }
  return store;
}
