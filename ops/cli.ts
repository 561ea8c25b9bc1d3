import { pathToFileURL } from 'node:url';
import type { Command, Io } from './command.ts';

/**
 * `npx aftercare <command>` (or `npm run aftercare -- <command>`): the operator's tools. Each command is loaded
 * only when asked for, so `--help` is instant and the functions' logger starts quiet (warnings only).
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  report: {
    summary: 'purchases, emails, delivery, NPS/CSAT, detractors and offers for a period (terminal + HTML)',
    load: async () => (await import('./commands/report.ts')).report,
  },
  why: {
    summary: 'why a customer got (or did not get) each email',
    load: async () => (await import('./commands/why.ts')).why,
  },
  plan: {
    summary: 'preview the emails an order payload would get; stores and sends nothing',
    load: async () => (await import('./commands/plan.ts')).plan,
  },
  import: {
    summary: 'load historical orders (Shopify CSV export or JSON lines) into the sequences still due',
    load: async () => (await import('./commands/import.ts')).importOrders,
  },
  codes: {
    summary: 'import single-use discount codes into an offer’s pool (CSV or text), list what is left',
    load: async () => (await import('./commands/codes.ts')).codes,
  },
  simulate: {
    summary: 'play N generated purchases through virtual months on an in-process local cloud; print cost figures',
    load: async () => (await import('./commands/simulate.ts')).simulate,
  },
};

export const USAGE = `Aftercare operator tools

Usage: aftercare <command> [options]     (aftercare <command> --help for its options)

${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(9)} ${command.summary}`)
  .join('\n')}

By default the commands read the local cloud of "npm start" (DynamoDB on 127.0.0.1:8000).
Deployed stack: add --aws --table <stack output TableName>, with your usual AWS credentials and region.`;

/** Runs one command line; returns the exit code (0 ok, 1 failed or partly failed, 2 wrong usage). */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  process.env.AFTERCARE_LOG_LEVEL ??= 'WARN';
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name ? 0 : 2;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.err(`Unknown command "${name}".\n\n${USAGE}\n`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.help);
    return 0;
  }
  try {
    return await command.execute(rest, io);
  } catch (error) {
    const { UsageError } = await import('./command.ts');
    if (error instanceof UsageError) {
      io.err(`aftercare ${name}: ${error.message}\n(aftercare ${name} --help shows the options)\n`);
      return 2;
    }
    io.err(`aftercare ${name} failed: ${describeFailure(error)}\n`);
    return 1;
  }
}

/** Connection problems get a hint; anything else its name and message (never a stack of SDK internals). */
function describeFailure(error: unknown): string {
  const { name, message } = error as Error;
  if (/ECONNREFUSED|ENOTFOUND|fetch failed/.test(`${message} ${(error as { code?: string }).code ?? ''}`)) {
    return `${message} — is "npm start" running? (or use --aws for the deployed stack, --endpoint for another table)`;
  }
  if (name === 'ResourceNotFoundException') return `${message} — check --table / AFTERCARE_TABLE and the region.`;
  return `${name}: ${message}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { processIo } = await import('./command.ts');
  process.exitCode = await runCli(process.argv.slice(2), processIo);
}
