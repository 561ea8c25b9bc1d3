import * as z from 'zod';

/** Environment of every function, checked once at cold start with a message that names the variable. */
const environmentSchema = z.object({
  AFTERCARE_TABLE: z.string().min(1).default('aftercare'),
  AFTERCARE_STAGE: z.enum(['local', 'aws']).default('aws'),
  AFTERCARE_PUBLIC_URL: z.url().default('http://localhost:3000'),
  AFTERCARE_CONFIGURATION_SET: z.string().min(1).default('aftercare'),
  AFTERCARE_STATE_MACHINE_PREFIX: z
    .string()
    .min(1)
    .default('arn:aws:states:us-east-1:000000000000:stateMachine:aftercare-'),
});

export type Environment = z.infer<typeof environmentSchema>;

const NAMES = Object.keys(environmentSchema.shape) as (keyof Environment)[];
let checked: { key: string; environment: Environment } | undefined;

export function environment(): Environment {
  // Parsed once per set of values (hot: every table access asks), again only when a variable changed.
  const key = NAMES.map((name) => process.env[name] ?? '\u0000').join('\u0001');
  if (checked?.key === key) return checked.environment;
  const values = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));
  const parsed = environmentSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid environment variable ${String(issue?.path[0])}: ${issue?.message}`);
  }
  checked = { key, environment: parsed.data };
  return parsed.data;
}
