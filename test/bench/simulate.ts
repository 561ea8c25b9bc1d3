import { machine } from './stats.ts';

/**
 * Issue 8 benchmark, the project's scale figure: generated purchases played through two virtual years on an
 * in-process local cloud (`aftercare simulate`), printing throughput, emails, executions, transitions, Lambda
 * invocations and AWS calls per purchase and the list cost per 1,000 purchases.
 * Usage: npm run bench:simulate [-- --purchases 1000] [-- --large]   (--large: 10,000 purchases)
 */
const args = process.argv.slice(2);
const index = args.indexOf('--purchases');
const PURCHASES = index >= 0 ? Number(args[index + 1]) : args.includes('--large') ? 10_000 : 1000;
const MONTHS = 24;

// Set before the functions' logger is loaded (hence the dynamic imports): warnings would drown the figures.
process.env.AFTERCARE_LOG_LEVEL ??= 'ERROR';
const { runSimulation } = await import('../../ops/simulate/run.ts');
const { renderSimulation } = await import('../../ops/commands/simulate.ts');
console.log(`machine: ${machine()}`);
let shown = 0;
const result = await runSimulation({
  purchases: PURCHASES,
  months: MONTHS,
  seed: 1,
  onProgress: (share) => {
    if (share - shown < 0.1 && share < 1) return;
    shown = share;
    console.log(
      `  ${Math.round(share * 100)}% of ${MONTHS} virtual months after ${Math.round(performance.now() / 1000)} s`,
    );
  },
});
console.log(renderSimulation(result));
