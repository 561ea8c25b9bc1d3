import type { Node } from 'constructs';
import * as z from 'zod';
import { ConfigError } from '../../functions/shared/config/schema.ts';
import { DEFAULT_NAME_PREFIX } from '../workflows.ts';
import { physicalNames } from './names.ts';

/**
 * Deployment settings that only the AWS stack needs, read from cdk context (`cdk.json` "context", or
 * `cdk deploy -c senderDomain=shop.example`). Store, sender and sequence settings live in the configuration file
 * (its schema: functions/shared/config/schema.ts); these say how that configuration is deployed.
 */
const domainName = z
  .string()
  .regex(/^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/, 'must be a lower-case domain name');

/** Context values given on the command line arrive as strings. */
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

/** Valid in every name it starts (Lambda, Step Functions, log groups, SES, CloudFormation); each within its limit. */
const namePrefix = z
  .string()
  .regex(/^[a-z](?:[a-z0-9-]*[a-z0-9])?$/, 'must be lower-case letters, digits and -, starting with a letter')
  .superRefine((prefix, context) => {
    for (const { resource, name, maxLength } of physicalNames(prefix)) {
      if (name.length > maxLength)
        context.addIssue({
          code: 'custom',
          message: `makes the ${resource} name ${name} ${name.length} characters long; AWS allows ${maxLength}`,
        });
    }
  });

export const settingsSchema = z
  .strictObject({
    /** First part of every physical name: a second stack in the same account (staging) needs its own. */
    namePrefix: namePrefix.default(DEFAULT_NAME_PREFIX),
    /** Domain verified in SES (Easy DKIM) for the stores' from-addresses; without it, verify identities yourself. */
    senderDomain: domainName.optional(),
    /** SES configuration set every email is sent with; its events feed the ses-events function. Default: namePrefix. */
    configurationSetName: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be letters, digits, _ or -')
      .optional(),
    /** Custom domain for the links and webhooks (an ACM certificate in the stack's region must cover it). */
    domainName: domainName.optional(),
    certificateArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/, 'must be an ACM certificate ARN')
      .optional(),
    /** Subscribed to the alarm topic (confirm the email AWS sends). */
    alarmEmail: z.email().optional(),
    /** Reserved concurrency of each workflow's step function (protects the SES sending rate); 0 = none reserved. */
    stepConcurrency: integer(0, 100).default(2),
    /** HTTP API default-stage throttling. */
    apiRateLimit: integer(1, 10_000).default(50),
    apiBurstLimit: integer(1, 5_000).default(100),
    /**
     * The SES account is still in the sandbox: SES then authorises every recipient as an identity too, so the steps
     * may send only to these verified recipients (addresses or domains, comma-separated on the command line).
     */
    sesSandbox: flag.default(false),
    sesSandboxRecipients: z
      .preprocess(
        (value) =>
          typeof value === 'string'
            ? value
                .split(',')
                .map((part) => part.trim())
                .filter(Boolean)
            : value,
        z.array(z.union([z.email(), domainName])),
      )
      .default([]),
    /**
     * How often the run keeper looks for due runs (an EventBridge rate expression, 1 minute at least). It bounds how
     * late a parked run may start (its lead is 3 hours) and how soon a failed run is healed.
     */
    keeperSchedule: z
      .string()
      .regex(
        /^rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)$/,
        'must be rate(<n> minutes|hours|days)',
      )
      .default('rate(5 minutes)'),
    /** Step Functions calls per second the keeper may make: a share of the account's StartExecution refill rate. */
    keeperCallsPerSecond: integer(1, 100).default(50),
    /** TypeScript stack traces in logs (NODE_OPTIONS=--enable-source-maps); costs ~10 % cold start. */
    sourceMapStackTraces: flag.default(false),
  })
  .refine((settings) => (settings.domainName === undefined) === (settings.certificateArn === undefined), {
    message: 'domainName and certificateArn go together',
    path: ['domainName'],
  })
  .refine((settings) => !settings.sesSandbox || settings.sesSandboxRecipients.length > 0, {
    message: 'sesSandbox needs sesSandboxRecipients: the verified recipients the steps may send to',
    path: ['sesSandboxRecipients'],
  })
  .refine((settings) => settings.sesSandbox || settings.sesSandboxRecipients.length === 0, {
    message: 'sesSandboxRecipients only applies with sesSandbox=true',
    path: ['sesSandboxRecipients'],
  });
export type DeploySettings = z.infer<typeof settingsSchema> & { configurationSetName: string };

/** Reads the settings from cdk context; the error names each wrong setting and why. */
export function readSettings(node: Node): DeploySettings {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(settingsSchema.shape)) {
    const value = node.tryGetContext(key);
    if (value !== undefined) raw[key] = value;
  }
  return parseSettings(raw);
}

export function parseSettings(raw: unknown): DeploySettings {
  const parsed = settingsSchema.safeParse(raw);
  if (parsed.success)
    return { ...parsed.data, configurationSetName: parsed.data.configurationSetName ?? parsed.data.namePrefix };
  const lines = parsed.error.issues.map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new ConfigError(`Invalid cdk context:\n${lines.join('\n')}`);
}
