import { afterEach, describe, expect, it, vi } from 'vitest';
import { configuredPublicUrl, environment, storeSecretVariable } from '../../functions/shared/env.ts';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('the environment of every function', () => {
  it('refuses a bad value at once, naming the variable', () => {
    vi.stubEnv('AFTERCARE_LOG_LEVEL', 'LOUD');
    expect(() => environment()).toThrow(/^Invalid environment variable AFTERCARE_LOG_LEVEL: /);
    vi.stubEnv('AFTERCARE_LOG_LEVEL', 'warn');
    vi.stubEnv('AFTERCARE_KEEPER_CALLS_PER_SECOND', '0');
    expect(() => environment()).toThrow(/^Invalid environment variable AFTERCARE_KEEPER_CALLS_PER_SECOND: /);
  });

  it('reads an empty variable as unset, and a public URL only when one is set', () => {
    vi.stubEnv('AFTERCARE_KEEPER_CALLS_PER_SECOND', '');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', '');
    vi.stubEnv('AFTERCARE_PUBLIC_URL', '');
    vi.stubEnv('AFTERCARE_LOG_LEVEL', 'error');
    expect(environment()).toMatchObject({
      AFTERCARE_KEEPER_CALLS_PER_SECOND: 50,
      POWERTOOLS_SERVICE_NAME: 'aftercare',
      AFTERCARE_PUBLIC_URL: 'http://localhost:3000',
      AFTERCARE_LOG_LEVEL: 'ERROR',
    });
    expect(configuredPublicUrl()).toBeUndefined();
    vi.stubEnv('AFTERCARE_PUBLIC_URL', 'https://care.example.com');
    expect(configuredPublicUrl()).toBe('https://care.example.com');
  });

  it('reads store secrets by their documented names only', () => {
    vi.stubEnv('AFTERCARE_SECRET_ACME__SHOPIFY', 'secret-value');
    expect(storeSecretVariable('AFTERCARE_SECRET_ACME__SHOPIFY')).toBe('secret-value');
    expect(() => storeSecretVariable('AWS_SECRET_ACCESS_KEY')).toThrow('not a store secret variable');
  });

  it('gives the production logger INFO on AWS and WARN locally, whatever runs it, unless AFTERCARE_LOG_LEVEL says', async () => {
    const levelWith = async (env: Record<string, string>) => {
      vi.resetModules();
      vi.stubEnv('AFTERCARE_LOG_LEVEL', '');
      for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
      const { logger } = await import('../../functions/shared/logger.ts');
      return logger.getLevelName();
    };
    expect(await levelWith({ AFTERCARE_STAGE: 'aws' })).toBe('INFO');
    expect(await levelWith({ AFTERCARE_STAGE: 'local' })).toBe('WARN');
    expect(await levelWith({ AFTERCARE_STAGE: 'aws', AFTERCARE_LOG_LEVEL: 'DEBUG' })).toBe('DEBUG');
  });
});
