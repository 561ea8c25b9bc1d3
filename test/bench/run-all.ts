import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `npm run bench`: every benchmark script in turn, each in its own process; they print figures, not verdicts. */
const scripts = [
  'local-cloud.ts',
  'webhook-latency.ts',
  'per-purchase.ts',
  'bundles.ts',
  'simulate.ts',
  'spam-score.ts',
  'capacity.ts',
];
for (const script of scripts) {
  const path = fileURLToPath(new URL(script, import.meta.url));
  if (!existsSync(path)) continue;
  console.log(`\n=== ${script} ===`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path], {
    stdio: 'inherit',
    env: { ...process.env, AFTERCARE_LOG_LEVEL: 'ERROR' },
  });
  if (result.status !== 0) console.log(`(${script} exited with ${result.status})`);
}
