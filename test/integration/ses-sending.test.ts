import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_FILE } from '../../functions/shared/config/file.ts';
import { keys } from '../../functions/shared/store/keys.ts';
import { getItem } from '../../functions/shared/store/table.ts';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import type { LocalPolicies } from '../../local-cloud/iam-policies.ts';
import { decisionsOf, emailsTo, header, purchase, startTestCloud } from '../support/local.ts';

/**
 * Sending on the strict local SES: what SES refuses must never turn a customer's email into a permanent failure
 * (tags and headers built from SKUs), a sender still being verified must not lose the email, and a reply lost after
 * SES accepted a message must never cause a second one.
 */
const DAY = 86_400_000;

function offerRule(productType: string, offerSku: string) {
  return {
    name: `${productType}: ${offerSku}`,
    match: { productType },
    rules: {
      offer: {
        enabled: true,
        afterDays: 3,
        offerSku,
        offerTitle: `Refill ${offerSku}`,
        offerUrl: 'https://demo-appliances.example/refills',
        discountCode: 'REFILL10',
        codeValidDays: 14,
      },
    },
  };
}

function writeConfig(dir: string): string {
  const base = JSON.parse(readFileSync(DEFAULT_CONFIG_FILE, 'utf8'));
  const demo = base.stores[0];
  const productRules = [offerRule('Filter jug', 'FILTER.2'), offerRule('Grinder', 'KAFFEE-MÜHLE')];
  const file = join(dir, 'aftercare.config.json');
  writeFileSync(file, JSON.stringify({ ...base, stores: [{ ...demo, productRules }] }));
  return file;
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?B?…?=`, space-separated) back to the text they carry. */
function decodeWords(value: string): string {
  return value
    .split(' ')
    .map((word) => {
      const match = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=$/.exec(word);
      return match ? Buffer.from(match[1] ?? '', 'base64').toString('utf8') : word;
    })
    .join('');
}

describe('sending on the strict local SES (production access)', () => {
  let cloud: LocalCloud;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aftercare-ses-sending-'));
    cloud = await startTestCloud({ configFile: writeConfig(dir) });
  });
  afterAll(async () => {
    await cloud?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function offerEmailTo(address: string, productType: string) {
    const orderId = await purchase(cloud, { email: address, productType, tags: [] });
    await cloud.fastForward(cloud.clock.now() + 20 * DAY);
    const offer = (await emailsTo(cloud, address)).find((email) =>
      header(email, 'X-Aftercare-Sequence')?.startsWith('upgrade-offer'),
    );
    return { orderId, offer };
  }

  // https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_MessageTag.html
  it('sends the offer for SKU FILTER.2, whose step tag would otherwise carry a dot SES refuses', async () => {
    // Act
    const { orderId, offer } = await offerEmailTo('filter@example.com', 'Filter jug');
    // Assess
    expect(offer && header(offer, 'X-Aftercare-Step')).toBe('offer-FILTER.2');
    expect((await decisionsOf(orderId))['upgrade-offer#offer-FILTER.2']).toMatchObject({ status: 'sent' });
  });

  // https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_MessageHeader.html (printable ASCII only)
  it('sends the offer for SKU KAFFEE-MÜHLE with X-Aftercare-Step as an RFC 2047 encoded word', async () => {
    // Act
    const { orderId, offer } = await offerEmailTo('grinder@example.com', 'Grinder');
    // Assess
    const step = offer ? header(offer, 'X-Aftercare-Step') : undefined;
    expect(step).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=( =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=)*$/);
    expect(decodeWords(step ?? '')).toBe('offer-KAFFEE-MÜHLE');
    expect((await decisionsOf(orderId))['upgrade-offer#offer-KAFFEE-MÜHLE']).toMatchObject({ status: 'sent' });
  });

  it('sends no second email when the reply is lost after SES accepted the first, and says the outcome is unknown', async () => {
    // Prepare: the thanks email's SendEmail is accepted, but its answer never arrives.
    const address = 'lost-reply@example.com';
    const orderId = await purchase(cloud, { email: address });
    cloud.ses.dropRepliesAfterAccept(1, address);
    // Act: the thanks email is due 1 day after the estimated delivery (4 days on).
    await cloud.fastForward(cloud.clock.now() + 6 * DAY);
    // Assess
    const thanks = (await emailsTo(cloud, address)).filter((email) => header(email, 'X-Aftercare-Step') === 'thanks');
    expect(thanks).toHaveLength(1);
    expect((await decisionsOf(orderId))['follow-up#thanks']).toMatchObject({
      status: 'skipped',
      reason: 'send-outcome-unknown',
    });
  });
});

// https://docs.aws.amazon.com/ses/latest/dg/verify-addresses-and-domains.html
describe('a sender identity that is not verified yet', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud({ configFile: DEFAULT_CONFIG_FILE });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('postpones the email instead of failing it, and sends it once the domain is verified', async () => {
    // Prepare: the store's address and domain are still waiting for verification.
    cloud.ses.revoke('care@demo-appliances.example');
    cloud.ses.revoke('demo-appliances.example');
    const address = 'patient@example.com';
    const orderId = await purchase(cloud, { email: address });
    await cloud.fastForward(cloud.clock.now() + 6 * DAY); // the thanks email is due on day 4
    const waiting = (await decisionsOf(orderId))['follow-up#thanks'];
    // Act
    cloud.ses.verify('demo-appliances.example');
    await cloud.fastForward(cloud.clock.now() + 3 * DAY);
    // Assess
    expect(waiting).toMatchObject({ status: 'postponed', reason: 'identity-not-verified' });
    expect((await decisionsOf(orderId))['follow-up#thanks']).toMatchObject({ status: 'sent' });
    expect((await emailsTo(cloud, address)).map((email) => header(email, 'X-Aftercare-Step'))).toContain('thanks');
  });
});

/** The steps' ses:SendEmail also on a sandbox recipient's identity, as `sesSandboxRecipients` deploys it. */
function allowRecipient(policies: LocalPolicies, recipient: string): LocalPolicies {
  for (const [name, principal] of Object.entries(policies))
    if (name.endsWith('-step'))
      principal.statements.push({
        Effect: 'Allow',
        Action: 'ses:SendEmail',
        Resource: `arn:aws:ses:us-east-1:000000000000:identity/${recipient}`,
      });
  return policies;
}

// https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html (sandbox: recipients are verified too)
describe('a recipient not verified while the account is in the SES sandbox', () => {
  let cloud: LocalCloud;
  const address = 'sandbox@example.com';
  beforeAll(async () => {
    // Deployed with -c sesSandbox=true -c sesSandboxRecipients=sandbox@example.com (the steps' policy names the
    // recipient), while SES has not verified that address yet.
    cloud = await startTestCloud({
      configFile: DEFAULT_CONFIG_FILE,
      ses: { sandbox: true, verifiedRecipients: [] },
      editPolicies: (policies) => allowRecipient(policies, address),
    });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('postpones the email instead of failing it, and sends it once the recipient is verified', async () => {
    // Prepare
    const orderId = await purchase(cloud, { email: address });
    await cloud.fastForward(cloud.clock.now() + 6 * DAY); // the thanks email is due on day 4
    const waiting = (await decisionsOf(orderId))['follow-up#thanks'];
    // Act
    cloud.ses.verify(address);
    await cloud.fastForward(cloud.clock.now() + 3 * DAY);
    // Assess
    expect(waiting).toMatchObject({ status: 'postponed', reason: 'identity-not-verified' });
    expect((await decisionsOf(orderId))['follow-up#thanks']).toMatchObject({ status: 'sent' });
  });
});

// https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_EventDestination.html (MatchingEventTypes),
// https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-ses.html
describe('the configuration set’s events', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud({ configFile: DEFAULT_CONFIG_FILE });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it('are the types the stack subscribes: no Send (the step records the message as sent itself), then Delivery', async () => {
    // Prepare: a probe on the configuration set's destination notes each event it publishes.
    const arrivals: { eventType: string; messageId: string }[] = [];
    cloud.ses.onEvent(async (event) => {
      arrivals.push({ eventType: event.eventType, messageId: event.mail.messageId });
    });
    // Act
    const orderId = await purchase(cloud, { email: 'events-of-set@example.com' });
    await cloud.fastForward(cloud.clock.now() + 6 * DAY); // the thanks email is due on day 4
    // Assess
    const messageId = (await decisionsOf(orderId))['follow-up#thanks']?.messageId ?? '';
    expect(messageId).not.toBe('');
    expect(arrivals.filter((arrival) => arrival.messageId === messageId)).toEqual([
      { eventType: 'Delivery', messageId },
    ]);
    expect(await getItem(keys.message(messageId))).toMatchObject({ state: 'delivered', stateRank: 2 });
  });
});
