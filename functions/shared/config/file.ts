import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { environment } from '../env.ts';
import { type AftercareConfig, ConfigError, parseConfig } from './schema.ts';

// A data path, not an import: the operator's file stays where the README says, next to the CDK app.
export const DEFAULT_CONFIG_FILE = fileURLToPath(new URL('../../../infra/aftercare.config.json', import.meta.url));

export function configFilePath(): string {
  const file = environment().AFTERCARE_CONFIG;
  return file ? resolve(file) : DEFAULT_CONFIG_FILE;
}

export function loadConfigFile(path = configFilePath()): AftercareConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read configuration file ${path}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Configuration file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(raw, `configuration file ${path}`);
}
