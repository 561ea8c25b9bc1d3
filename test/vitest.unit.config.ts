import { defineConfig } from 'vitest/config';

// The pure tests only: no local cloud, no browser, no CDK synth, so `npm run test:unit` takes seconds.
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/unit/**/*.test.ts', 'functions/**/*.test.ts'],
    testTimeout: 10_000,
    // The functions log at WARN under test (the production logger knows nothing of vitest).
    env: { AFTERCARE_LOG_LEVEL: process.env.AFTERCARE_LOG_LEVEL ?? 'WARN' },
    // One module graph per worker thread instead of one per file: the files are pure (no shared state), and
    // importing MJML, LiquidJS and the SDK 45 times was most of the minute this took (13 s instead of 58 s here).
    pool: 'threads',
    isolate: false,
  },
});
