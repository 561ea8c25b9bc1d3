import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import * as z from 'zod';
import { terminalSafe } from './format.ts';

/** Where a command writes: results to `out` (stdout), progress and problems to `err` (stderr). */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Progress bars redraw in place only on a terminal. */
  errIsTTY: boolean;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(terminalSafe(text.endsWith('\n') ? text : `${text}\n`)),
  err: (text) => process.stderr.write(terminalSafe(text)),
  errIsTTY: Boolean(process.stderr.isTTY),
};

/** An Io that keeps what was written, for tests and for callers that embed the CLI. */
export function bufferIo(): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    errIsTTY: false,
    out(text: string) {
      io.stdout += terminalSafe(text.endsWith('\n') ? text : `${text}\n`);
    },
    err(text: string) {
      io.stderr += terminalSafe(text);
    },
  };
  return io;
}

/** A wrong argument: the message names the option; the CLI prints it with the command's usage hint. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface Command {
  name: string;
  summary: string;
  help: string;
  execute(argv: string[], io: Io): Promise<number>;
}

/**
 * A subcommand: its options as `node:util` parseArgs reads them (every value a string, flags booleans), then one
 * zod schema that checks and converts them. A failed check names the option: "--from: expected a date…".
 */
export function defineCommand<Schema extends z.ZodType>(definition: {
  name: string;
  summary: string;
  help: string;
  options: ParseArgsOptionsConfig;
  schema: Schema;
  run(args: z.output<Schema>, io: Io): Promise<number>;
}): Command {
  return {
    name: definition.name,
    summary: definition.summary,
    help: definition.help,
    async execute(argv, io) {
      const args = parseOptions(argv, definition.options, definition.schema);
      return definition.run(args, io);
    },
  };
}

export function parseOptions<Schema extends z.ZodType>(
  argv: string[],
  options: ParseArgsOptionsConfig,
  schema: Schema,
): z.output<Schema> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message.split('. To specify')[0] ?? 'invalid arguments');
  }
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  throw new UsageError(
    parsed.error.issues
      .map((issue) => {
        const key = issue.path[0];
        return key === undefined ? issue.message : `--${String(key)}: ${issue.message}`;
      })
      .join('\n'),
  );
}

/** Options every command that reads or writes the table shares (see target.ts). */
export const targetOptions = {
  endpoint: { type: 'string' },
  aws: { type: 'boolean' },
  table: { type: 'string' },
  config: { type: 'string' },
} as const satisfies ParseArgsOptionsConfig;

export const targetSchema = {
  endpoint: z.url({ message: 'expected a URL such as http://127.0.0.1:8000' }).optional(),
  aws: z.boolean().optional(),
  table: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'expected a DynamoDB table name')
    .optional(),
  config: z.string().min(1).optional(),
};

export const TARGET_HELP = `Where (default: the local cloud of "npm start", DynamoDB on 127.0.0.1:$AFTERCARE_DYNAMODB_PORT or 8000):
  --aws            the deployed stack, with your usual AWS credentials and region (AWS_PROFILE, AWS_REGION)
  --table NAME     table name (default: AFTERCARE_TABLE, else "aftercare"); on AWS the stack output TableName
  --endpoint URL   another DynamoDB endpoint (default: AWS_ENDPOINT_URL_DYNAMODB when set)
  --config FILE    configuration file (default: AFTERCARE_CONFIG, else infra/aftercare.config.json)`;

export const storeId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'expected a store id such as "demo"');

/** A calendar date (YYYY-MM-DD, which must exist) or a full ISO date-time. */
export const dateArgument = z.string().refine((value) => {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
  return /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));
}, 'expected a date such as 2026-01-31');
