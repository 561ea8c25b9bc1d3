import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_FILE } from '../../functions/shared/config/file.ts';
import { listDecisions } from '../../functions/shared/store/decisions.ts';
import { keys } from '../../functions/shared/store/keys.ts';
import { getItem } from '../../functions/shared/store/table.ts';
import { LOCAL_DEFAULTS, type LocalCloud } from '../../local-cloud/cloud.ts';
import type { InboxEmail, SesEvent } from '../../local-cloud/ses.ts';
import { samplePurchase } from '../../local-cloud/sign.ts';
import { emailsTo, header, postWebhook, startTestCloud, waitFor } from '../support/local.ts';

/**
 * The demo configuration plus a second store, with a lifecycle short enough (≈ 3 months) to play out in seconds
 * and two months (two real seconds) between the first email and the next, so an event emitted once the first
 * arrived lands well before the next step runs.
 */
function writeTwoStoreConfig(dir: string): string {
  const base = JSON.parse(readFileSync(DEFAULT_CONFIG_FILE, 'utf8'));
  const demo = base.stores[0];
  const config = {
    ...base,
    stores: [demo, { ...demo, id: 'other', name: 'Other Appliances', productRules: [] }],
    defaults: {
      followUp: { thanksAfterDays: 1, checkInAfterDays: 60 },
      survey: { kind: 'nps', afterDays: 60, reminderAfterDays: 4 },
      warranty: { months: 4, remindDaysBefore: 30 },
      offer: { enabled: false },
    },
  };
  const file = join(dir, 'aftercare.config.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

interface MessageItem {
  state: string;
  bounceType?: string;
  diagnostic?: string;
}

describe('SES events: bounces and complaints stop later email in every store, deliveries are recorded', () => {
  let cloud: LocalCloud;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aftercare-ses-events-'));
    process.env.AFTERCARE_SECRET_OTHER = LOCAL_DEFAULTS.demoSecret;
    cloud = await startTestCloud({ configFile: writeTwoStoreConfig(dir), timeScale: 2_592_000 }); // a month a second
  });
  afterAll(async () => {
    await cloud?.stop();
    delete process.env.AFTERCARE_SECRET_OTHER;
    rmSync(dir, { recursive: true, force: true });
  });

  async function buy(storeId: string, orderId: string, email: string): Promise<void> {
    const body = JSON.stringify(
      samplePurchase({ orderId, email, createdAt: new Date(cloud.clock.now()).toISOString() }),
    );
    const response = await postWebhook(cloud, 'generic', body, { storeId });
    expect(response.status).toBe(200);
  }

  const firstEmailTo = (address: string) =>
    waitFor(`the first email to ${address}`, async () => (await emailsTo(cloud, address))[0]);

  function sesEvent(email: InboxEmail, rest: Omit<SesEvent, 'mail'>): SesEvent {
    const timestamp = new Date(cloud.clock.now()).toISOString();
    return { ...rest, mail: { messageId: email.messageId, timestamp, destination: email.destination.to } };
  }

  /** Buys in `demo`, lets the first email arrive, emits `report` for it, then buys in `other` and plays both out. */
  async function reportThenBuyAgain(address: string, report: (first: InboxEmail) => SesEvent) {
    await buy('demo', `${address}-demo`, address);
    const first = await firstEmailTo(address);
    await cloud.ses.emit(report(first));
    await buy('other', `${address}-other`, address);
    await waitFor(
      'the other store to decide a step',
      async () => (await listDecisions('other', `${address}-other`))[0],
    );
    await cloud.settle(30_000);
    return {
      first,
      emails: await emailsTo(cloud, address),
      demo: await listDecisions('demo', `${address}-demo`),
      other: await listDecisions('other', `${address}-other`),
      message: await getItem<MessageItem>(keys.message(first.messageId)),
    };
  }

  it('records the local Delivery event on the message', async () => {
    // Prepare
    const address = 'delivered@example.com';
    await buy('demo', 'delivered-1', address);

    // Act
    const first = await firstEmailTo(address);

    // Assess
    const message = await waitFor('the delivered state', async () => {
      const item = await getItem<MessageItem & { storeId: string }>(keys.message(first.messageId));
      return item?.state === 'delivered' ? item : undefined;
    });
    expect(message.storeId).toBe('demo');
  });

  it('a permanent bounce stops every later email to the address, in every store', async () => {
    // Act
    const address = 'hard-bounce@example.com';
    const outcome = await reportThenBuyAgain(address, (first) =>
      sesEvent(first, {
        eventType: 'Bounce',
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: address }] },
      }),
    );

    // Assess
    expect(outcome.emails.map((email) => header(email, 'X-Aftercare-Step'))).toEqual([
      header(outcome.first, 'X-Aftercare-Step'),
    ]);
    expectOnlyFirstSent(outcome.demo, header(outcome.first, 'X-Aftercare-Step'));
    expectOnlyFirstSent(outcome.other, undefined);
    expect(outcome.message).toMatchObject({ state: 'bounced', bounceType: 'Permanent' });
    expect(await getItem(keys.suppressed(address))).toMatchObject({ reason: 'bounce' });
  });

  it('a complaint stops every later email to the address, in every store', async () => {
    // Act
    const address = 'complainer@example.com';
    const outcome = await reportThenBuyAgain(address, (first) =>
      sesEvent(first, { eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: address }] } }),
    );

    // Assess
    expect(outcome.emails.map((email) => header(email, 'X-Aftercare-Step'))).toEqual([
      header(outcome.first, 'X-Aftercare-Step'),
    ]);
    expectOnlyFirstSent(outcome.demo, header(outcome.first, 'X-Aftercare-Step'));
    expectOnlyFirstSent(outcome.other, undefined);
    expect(outcome.message?.state).toBe('complained');
    expect(await getItem(keys.suppressed(address))).toMatchObject({ reason: 'complaint' });
  });

  it('a soft (transient) bounce is recorded but does not suppress', async () => {
    // Act
    const address = 'mailbox-full@example.com';
    const outcome = await reportThenBuyAgain(address, (first) =>
      sesEvent(first, {
        eventType: 'Bounce',
        bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: address }] },
      }),
    );

    // Assess
    expect(outcome.message).toMatchObject({ state: 'soft-bounced', bounceType: 'Transient' });
    expect(await getItem(keys.suppressed(address))).toBeUndefined();
    const decisions = [...outcome.demo, ...outcome.other];
    expect(decisions.filter((decision) => decision.reason === 'address-suppressed')).toEqual([]);
    expect(outcome.emails.length).toBeGreaterThan(2);
    expect(outcome.other.some((decision) => decision.status === 'sent')).toBe(true);
  });
});

/** Every step but the one already sent (if any) was skipped because the address is suppressed. */
function expectOnlyFirstSent(
  decisions: { step: string; status: string; reason?: string }[],
  firstStep: string | undefined,
): void {
  expect(decisions.length).toBeGreaterThanOrEqual(4);
  const later = decisions.filter((decision) => decision.step !== firstStep);
  expect(decisions.filter((decision) => decision.status === 'sent').map((decision) => decision.step)).toEqual(
    firstStep ? [firstStep] : [],
  );
  expect(later.map((decision) => `${decision.step}: ${decision.status} ${decision.reason}`)).toEqual(
    later.map((decision) => `${decision.step}: skipped address-suppressed`),
  );
}
