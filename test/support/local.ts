import type { Platform } from '../../functions/shared/domain/vocabulary.ts';
import { LOCAL_DEFAULTS, type LocalCloud, type LocalCloudOptions, startLocalCloud } from '../../local-cloud/cloud.ts';
import type { InboxEmail } from '../../local-cloud/ses.ts';
import { samplePurchase, signedHeaders } from '../../local-cloud/sign.ts';

/** Starts the local cloud on free ports, in memory (the tests' way; `npm start` uses fixed ports and disk). */
export function startTestCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  return startLocalCloud({ apiPort: 0, inboxPort: 0, ...options });
}

/** Polls until `probe` returns a value, or fails after `timeoutMs` real milliseconds with `what` in the message. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`,
  );
}

export function header(email: InboxEmail, name: string): string | undefined {
  return email.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
}

export async function postWebhook(
  cloud: LocalCloud,
  platform: Platform,
  body: string | Buffer,
  options: {
    storeId?: string;
    secret?: string;
    topic?: string;
    eventId?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Response> {
  const secret = options.secret ?? LOCAL_DEFAULTS.demoSecret;
  const headers = {
    ...signedHeaders(platform, body, secret, {
      ...(options.topic ? { topic: options.topic } : {}),
      ...(options.eventId ? { eventId: options.eventId } : {}),
    }),
    ...options.headers,
  };
  return fetch(`${cloud.apiUrl}/webhooks/${platform}/${options.storeId ?? 'demo'}`, { method: 'POST', headers, body });
}

export async function emailsTo(cloud: LocalCloud, address: string): Promise<InboxEmail[]> {
  return (await cloud.ses.inbox()).filter((email) => email.destination.to.includes(address));
}

/** Every item of the table (tests only: a scan through the real SDK against the local DynamoDB). */
export async function tableItems(): Promise<Record<string, unknown>[]> {
  const { DynamoDBClient, ScanCommand } = await import('@aws-sdk/client-dynamodb');
  const { unmarshall } = await import('@aws-sdk/util-dynamodb');
  const client = new DynamoDBClient({});
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
  try {
    do {
      const page = await client.send(
        new ScanCommand({ TableName: process.env.AFTERCARE_TABLE ?? 'aftercare', ExclusiveStartKey: startKey }),
      );
      for (const item of page.Items ?? []) items.push(unmarshall(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  } finally {
    client.destroy();
  }
  return items;
}

/** Emails in the inbox grouped by "sequence/step", for counting duplicates. */
export function countBySequenceStep(emails: InboxEmail[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const email of emails) {
    const key = `${header(email, 'X-Aftercare-Sequence')}/${header(email, 'X-Aftercare-Step')}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export interface DecisionItem {
  SK: string;
  status: string;
  reason?: string;
  plannedAt?: string;
  messageId?: string;
  detail?: string;
  until?: string;
  history: { status: string; at: string; reason?: string; detail?: string; until?: string }[];
}

/** The why trail of one order: decisions keyed by "sequence#step". */
export async function decisionsOf(orderId: string, storeId = 'demo'): Promise<Record<string, DecisionItem>> {
  const items = (await tableItems()).filter(
    (item) => item.PK === `PURCHASE#${storeId}#${orderId}` && String(item.SK).startsWith('STEP#'),
  );
  return Object.fromEntries(items.map((item) => [String(item.SK).slice(5), item as unknown as DecisionItem]));
}

export async function waitForDecision(
  orderId: string,
  key: string,
  status: string,
  timeoutMs = 30_000,
): Promise<DecisionItem> {
  return waitFor(
    `${key} to be ${status}`,
    async () => {
      const decision = (await decisionsOf(orderId))[key];
      return decision?.status === status ? decision : undefined;
    },
    timeoutMs,
  );
}

/** Posts a signed generic purchase created "now" on the virtual clock; returns its order id. */
export async function purchase(
  cloud: LocalCloud,
  overrides: Parameters<typeof samplePurchase>[0] = {},
): Promise<string> {
  const order = samplePurchase({ createdAt: new Date(cloud.clock.now()).toISOString(), ...overrides });
  const response = await postWebhook(cloud, 'generic', JSON.stringify(order));
  if (response.status !== 200)
    throw new Error(`purchase webhook answered ${response.status}: ${await response.text()}`);
  return order.data.id;
}

/** The demo configuration with `edit` applied, written to a temporary file (for `startTestCloud({ configFile })`). */
export async function writeTestConfig(
  edit: (config: { sending: Record<string, unknown>; [field: string]: unknown }) => void,
): Promise<string> {
  const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const config = JSON.parse(readFileSync(new URL('../../infra/aftercare.config.json', import.meta.url), 'utf8'));
  edit(config);
  const file = join(mkdtempSync(join(tmpdir(), 'aftercare-config-')), 'aftercare.config.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}
