import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import type { AftercareConfig } from '../functions/shared/config/schema.ts';
import { senderIdentities } from '../infra/aws/identities.ts';
import { parseSettings, settingsSchema } from '../infra/aws/settings.ts';
import { PRODUCTION_SEND_RATE, type SesAccount } from './ses-rules.ts';

/** How the local SES account is set up; each field also has a variable (README "local cloud"). */
export interface LocalSesSettings {
  /** AFTERCARE_SES_SANDBOX (default: cdk context `sesSandbox`, false): verified recipients only, 1/s, 200/24 h. */
  sandbox?: boolean;
  /** AFTERCARE_SES_VERIFIED_RECIPIENTS, comma-separated (default: cdk context `sesSandboxRecipients`). */
  verifiedRecipients?: string[];
  /** AFTERCARE_SES_SEND_RATE: messages per second with production access (default 14). */
  sendRate?: number;
  /** AFTERCARE_SES_DAILY_QUOTA: messages per 24 hours with production access (default: not limited). */
  max24HourSend?: number;
  /** Publish Delivery events (default true), 100 ms after each accepted message. */
  deliveryEvents?: boolean;
  /**
   * Keep each accepted email's HTML and text in the inbox (default true). Long runs that read only ids and
   * headers (simulate, bench:chaos) turn it off: the bodies were most of their memory. SES's checks are unchanged.
   */
  inboxBodies?: boolean;
}

const envSchema = z.object({
  AFTERCARE_SES_SANDBOX: z.enum(['true', 'false']).optional(),
  AFTERCARE_SES_VERIFIED_RECIPIENTS: z.string().optional(),
  AFTERCARE_SES_SEND_RATE: z.coerce.number().positive().optional(),
  AFTERCARE_SES_DAILY_QUOTA: z.coerce.number().int().positive().optional(),
});

const CDK_JSON = join(fileURLToPath(import.meta.url), '..', '..', 'cdk.json');

/** The deploy settings of cdk.json's context, so the local SES verifies what the stack's policy names. */
function cdkSettings() {
  const context = (JSON.parse(readFileSync(CDK_JSON, 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
  const known = Object.keys(settingsSchema.shape);
  return parseSettings(Object.fromEntries(Object.entries(context).filter(([key]) => known.includes(key))));
}

/** The local SES account: the stack's sender identities, the sandbox and the quotas, overridable per test. */
export function localSesAccount(
  config: AftercareConfig,
  overrides: LocalSesSettings = {},
  env: NodeJS.ProcessEnv = process.env,
): SesAccount & { configurationSets: string[] } {
  const settings = cdkSettings();
  const vars = envSchema.parse({
    AFTERCARE_SES_SANDBOX: env.AFTERCARE_SES_SANDBOX || undefined,
    AFTERCARE_SES_VERIFIED_RECIPIENTS: env.AFTERCARE_SES_VERIFIED_RECIPIENTS || undefined,
    AFTERCARE_SES_SEND_RATE: env.AFTERCARE_SES_SEND_RATE || undefined,
    AFTERCARE_SES_DAILY_QUOTA: env.AFTERCARE_SES_DAILY_QUOTA || undefined,
  });
  const sandbox =
    overrides.sandbox ?? (vars.AFTERCARE_SES_SANDBOX ? vars.AFTERCARE_SES_SANDBOX === 'true' : settings.sesSandbox);
  const recipients =
    overrides.verifiedRecipients ??
    vars.AFTERCARE_SES_VERIFIED_RECIPIENTS?.split(',').map((identity) => identity.trim()) ??
    settings.sesSandboxRecipients;
  const max24HourSend = overrides.max24HourSend ?? vars.AFTERCARE_SES_DAILY_QUOTA;
  return {
    identities: [...senderIdentities(config, settings), ...(sandbox ? recipients : [])]
      .filter(Boolean)
      .map((identity) => identity.toLowerCase()),
    sandbox,
    maxSendRate: overrides.sendRate ?? vars.AFTERCARE_SES_SEND_RATE ?? PRODUCTION_SEND_RATE,
    ...(max24HourSend ? { max24HourSend } : {}),
    configurationSets: [settings.configurationSetName],
  };
}
