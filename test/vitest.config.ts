import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: [
      'test/**/*.test.ts',
      'functions/**/*.test.ts',
      'infra/**/*.test.ts',
      'local-cloud/**/*.test.ts',
      'ops/**/*.test.ts',
    ],
    globalSetup: ['test/support/global-setup.ts'],
    // The functions log at WARN under test (the production logger knows nothing of vitest).
    env: { AFTERCARE_LOG_LEVEL: process.env.AFTERCARE_LOG_LEVEL ?? 'WARN' },
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 10_000,
  },
});
