import { defineConfig } from 'vitest/config';

// The pure tests only: no local cloud, no browser, no CDK synth, so `npm run test:unit` takes seconds.
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/unit/**/*.test.ts', 'functions/**/*.test.ts'],
    testTimeout: 10_000,
  },
});
