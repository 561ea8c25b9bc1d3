import { loadConfigFile } from './file.ts';
import { type AftercareConfig, findStore, parseConfig, type StoreConfig } from './schema.ts';

/**
 * The operator's configuration as the functions see it. On AWS it is inlined into each bundle at synth time
 * (already validated there); locally it is read from the configuration file. Read once per container.
 */
declare const __AFTERCARE_CONFIG__: string | undefined;

let cached: AftercareConfig | undefined;

export function getConfig(): AftercareConfig {
  if (!cached) {
    const inlined = typeof __AFTERCARE_CONFIG__ === 'string' ? __AFTERCARE_CONFIG__ : undefined;
    cached = inlined ? parseConfig(JSON.parse(inlined), 'inlined configuration') : loadConfigFile();
  }
  return cached;
}

/** Used by the local cloud when it is (re)started with another configuration file. */
export function resetConfig(): void {
  cached = undefined;
}

export function getStore(storeId: string): StoreConfig | undefined {
  return findStore(getConfig(), storeId);
}
