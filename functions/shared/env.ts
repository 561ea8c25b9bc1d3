import * as z from 'zod';

/** An empty variable counts as unset (`VAR= cmd` is how shells clear one). */
const unsetIfBlank = (value: unknown) => (value === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfBlank, schema.optional());

/** Powertools' log levels, in any case. */
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;

const DEFAULT_PUBLIC_URL = 'http://localhost:3000';

/**
 * Environment of every function, checked once at cold start with a message that names the variable. The list is
 * README's table of variables; the per-store signing secrets (`AFTERCARE_SECRET_<STORE>…`) are read by name through
 * `storeSecretVariable`.
 */
const environmentSchema = z.object({
  AFTERCARE_TABLE: z.string().min(1).default('aftercare'),
  AFTERCARE_STAGE: z.enum(['local', 'aws']).default('aws'),
  // On AWS the page functions get none (the API would depend on itself): `configuredPublicUrl` tells them apart.
  AFTERCARE_PUBLIC_URL: optional(z.url()),
  AFTERCARE_CONFIGURATION_SET: z.string().min(1).default('aftercare'),
  AFTERCARE_STATE_MACHINE_PREFIX: z
    .string()
    .min(1)
    .default('arn:aws:states:us-east-1:000000000000:stateMachine:aftercare-'),
  AFTERCARE_LOG_LEVEL: optional(z.string().toUpperCase().pipe(z.enum(LOG_LEVELS))),
  AFTERCARE_CONFIG: optional(z.string()),
  AFTERCARE_SECRETS_ARN: optional(z.string()),
  AFTERCARE_DEMO_SECRET: optional(z.string()),
  AFTERCARE_LINK_SECRET: optional(z.string()),
  AFTERCARE_KEEPER_CALLS_PER_SECOND: z.preprocess(unsetIfBlank, z.coerce.number().int().min(1).max(100).default(50)),
  POWERTOOLS_METRICS_DISABLED: optional(z.string()).transform((value) => value === 'true'),
  POWERTOOLS_SERVICE_NAME: z.preprocess(unsetIfBlank, z.string().default('aftercare')),
});

type Parsed = z.infer<typeof environmentSchema>;
export type Environment = Omit<Parsed, 'AFTERCARE_PUBLIC_URL'> & { AFTERCARE_PUBLIC_URL: string };
export type LogLevel = (typeof LOG_LEVELS)[number];

const NAMES = Object.keys(environmentSchema.shape) as (keyof Parsed)[];
let checked: { key: string; parsed: Parsed; environment: Environment } | undefined;

function check(): NonNullable<typeof checked> {
  // Parsed once per set of values (hot: every table access asks), again only when a variable changed.
  const key = NAMES.map((name) => process.env[name] ?? '\u0000').join('\u0001');
  if (checked?.key === key) return checked;
  const values = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));
  const result = environmentSchema.safeParse(values);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`Invalid environment variable ${String(issue?.path[0])}: ${issue?.message}`);
  }
  const parsed = result.data;
  checked = {
    key,
    parsed,
    environment: { ...parsed, AFTERCARE_PUBLIC_URL: parsed.AFTERCARE_PUBLIC_URL ?? DEFAULT_PUBLIC_URL },
  };
  return checked;
}

export function environment(): Environment {
  return check().environment;
}

/** The public URL only when one is set (no localhost default): the hosts a page accepts posts for. */
export function configuredPublicUrl(): string | undefined {
  return check().parsed.AFTERCARE_PUBLIC_URL;
}

const STORE_SECRET = /^AFTERCARE_SECRET_[A-Z0-9_]+$/;

/** A per-store signing secret variable (`AFTERCARE_SECRET_<STORE>[__<PLATFORM>]`, locally), by its name. */
export function storeSecretVariable(name: string): string | undefined {
  if (!STORE_SECRET.test(name)) throw new Error(`not a store secret variable: ${name}`);
  return unsetIfBlank(process.env[name]) as string | undefined;
}
