import type { Platform } from '../../infra/config.ts';
import { LOCAL_DEFAULTS, type LocalCloud, type LocalCloudOptions, startLocalCloud } from '../../infra/local/cloud.ts';
import type { InboxEmail } from '../../infra/local/ses.ts';
import { signedHeaders } from '../../infra/local/sign.ts';

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
