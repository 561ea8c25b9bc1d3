import { SESv2Client, SendEmailCommand, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { startTestCloud } from '../support/local.ts';

/**
 * The local SES endpoint refuses what SES v2 refuses, and the SDK sees the same exception (name, HTTP status,
 * message) as on AWS. Each rule cites the AWS documentation it follows.
 */
const FROM = 'care@demo-appliances.example'; // a sender identity of infra/aftercare.config.json's demo store

function email(overrides: Partial<SendEmailCommandInput> = {}): SendEmailCommandInput {
  return {
    FromEmailAddress: FROM,
    Destination: { ToAddresses: ['anna@example.com'] },
    ConfigurationSetName: 'aftercare',
    EmailTags: [{ Name: 'step', Value: 'thanks' }],
    Content: {
      Simple: {
        Subject: { Data: 'Hello' },
        Body: { Text: { Data: 'Hi' } },
        Headers: [{ Name: 'X-Aftercare-Step', Value: 'thanks' }],
      },
    },
    ...overrides,
  };
}

const withHeaders = (headers: { Name: string; Value: string }[]) =>
  email({ Content: { Simple: { Subject: { Data: 'Hello' }, Body: { Text: { Data: 'Hi' } }, Headers: headers } } });

/** What the SDK throws for a request, or `accepted`. */
async function outcome(client: SESv2Client, input: SendEmailCommandInput) {
  try {
    await client.send(new SendEmailCommand(input));
    return { accepted: true as const };
  } catch (error) {
    const failure = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: failure.name, status: failure.$metadata?.httpStatusCode, message: failure.message };
  }
}

describe('local SES with production access (a 24-hour quota of 20): the rules of SendEmail', () => {
  let cloud: LocalCloud;
  let client: SESv2Client;
  let release: () => void;
  beforeAll(async () => {
    // Virtual time stands still (it moves only by `advance`), however slowly this machine answers.
    cloud = await startTestCloud({ timeScale: 2, ses: { max24HourSend: 20 } });
    release = cloud.clock.hold();
  });
  afterAll(async () => {
    release?.();
    await cloud?.stop();
  });
  beforeEach(() => {
    client = new SESv2Client({ maxAttempts: 1 });
    // One virtual second between tests: each starts with the whole sending rate.
    cloud.clock.advance(1_000);
  });
  afterEach(() => client.destroy());

  it('accepts a well-formed email from a verified sender', async () => {
    expect(await outcome(client, email())).toEqual({ accepted: true });
  });

  // https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_MessageTag.html
  it.each([
    ['a dot', 'offer-FILTER.2'],
    ['an at sign', 'offer-a@b'],
    ['a non-ASCII letter', 'offer-MÜHLE'],
    ['more than 256 characters', 'x'.repeat(257)],
  ])('refuses a message-tag value with %s as BadRequestException', async (_what, value) => {
    const result = await outcome(client, email({ EmailTags: [{ Name: 'step', Value: value }] }));
    expect(result).toMatchObject({ name: 'BadRequestException', status: 400 });
    expect(result.message).toMatch(/Invalid tag value/);
  });

  it('refuses a message-tag name outside letters, digits, _ and -', async () => {
    const result = await outcome(client, email({ EmailTags: [{ Name: 'ses:step', Value: 'thanks' }] }));
    expect(result).toMatchObject({ name: 'BadRequestException', status: 400 });
  });

  // https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_MessageHeader.html
  it.each([
    ['a non-ASCII value', [{ Name: 'X-Aftercare-Step', Value: 'offer-KAFFEE-MÜHLE' }]],
    ['a value over 870 characters', [{ Name: 'X-Long', Value: 'a'.repeat(871) }]],
    ['a line break in a value', [{ Name: 'X-Injected', Value: 'a\r\nBcc: eve@example.com' }]],
    ['a colon in a name', [{ Name: 'X-Bad:Name', Value: 'v' }]],
  ])('refuses a custom header with %s as BadRequestException', async (_what, headers) => {
    expect(await outcome(client, withHeaders(headers))).toMatchObject({ name: 'BadRequestException', status: 400 });
  });

  // https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_Message.html (Headers: at most 15 items)
  it('refuses more than 15 custom headers and accepts 15', async () => {
    const headers = (count: number) => Array.from({ length: count }, (_, i) => ({ Name: `X-H${i}`, Value: 'v' }));
    expect(await outcome(client, withHeaders(headers(15)))).toEqual({ accepted: true });
    expect(await outcome(client, withHeaders(headers(16)))).toMatchObject({ name: 'BadRequestException' });
  });

  // https://docs.aws.amazon.com/ses/latest/dg/header-fields.html (fields that may appear only once)
  it('refuses a header SES writes itself (From, Subject) or a once-only header twice', async () => {
    const twice = [
      { Name: 'List-Unsubscribe', Value: '<https://a.example/u>' },
      { Name: 'list-unsubscribe', Value: '<https://b.example/u>' },
    ];
    expect(await outcome(client, withHeaders([{ Name: 'From', Value: 'eve@example.com' }]))).toMatchObject({
      name: 'BadRequestException',
    });
    expect(await outcome(client, withHeaders([{ Name: 'Subject', Value: 'other' }]))).toMatchObject({
      name: 'BadRequestException',
    });
    expect(await outcome(client, withHeaders(twice))).toMatchObject({ name: 'BadRequestException' });
  });

  // https://docs.aws.amazon.com/ses/latest/dg/verify-addresses-and-domains.html
  it('rejects a sender that is not a verified identity with MessageRejected "Email address is not verified"', async () => {
    const result = await outcome(client, email({ FromEmailAddress: 'care@unverified.example' }));
    expect(result).toMatchObject({ name: 'MessageRejected', status: 400 });
    expect(result.message).toMatch(/^Email address is not verified\. .*care@unverified\.example/);
  });

  // https://docs.aws.amazon.com/ses/latest/dg/creating-identities.html (a verified domain covers its addresses)
  it('accepts a sender of a verified domain, also in "Name <address>" form', async () => {
    expect(await outcome(client, email({ FromEmailAddress: 'Demo <news@demo-appliances.example>' }))).toEqual({
      accepted: true,
    });
  });

  it('refuses a configuration set that does not exist with NotFoundException', async () => {
    expect(await outcome(client, email({ ConfigurationSetName: 'nope' }))).toMatchObject({
      name: 'NotFoundException',
      status: 404,
    });
  });

  // https://docs.aws.amazon.com/ses/latest/dg/manage-sending-quotas-errors.html
  it('throttles the 15th message within one second with TooManyRequestsException "Maximum sending rate exceeded"', async () => {
    const results = [];
    for (let i = 0; i < 15; i += 1) results.push(await outcome(client, email()));
    expect(results.slice(0, 14).every((result) => 'accepted' in result)).toBe(true);
    expect(results[14]).toEqual({
      name: 'TooManyRequestsException',
      status: 429,
      message: 'Maximum sending rate exceeded.',
    });
    cloud.clock.advance(1_000);
    expect(await outcome(client, email())).toEqual({ accepted: true });
  });

  // https://docs.aws.amazon.com/ses/latest/dg/manage-sending-quotas-errors.html
  it('refuses the message over the 24-hour quota with "Daily message quota exceeded", and sends again a day later', async () => {
    cloud.clock.advance(86_400_000); // a fresh day: the earlier tests' messages no longer count
    for (let i = 0; i < 20; i += 1) {
      expect(await outcome(client, email())).toEqual({ accepted: true });
      cloud.clock.advance(1_000);
    }
    expect(await outcome(client, email())).toEqual({
      name: 'TooManyRequestsException',
      status: 429,
      message: 'Daily message quota exceeded.',
    });
    cloud.clock.advance(86_400_000);
    expect(await outcome(client, email())).toEqual({ accepted: true });
  });
});

describe('local SES in the sandbox: verified recipients only, 1 per second, 200 per 24 hours', () => {
  let cloud: LocalCloud;
  let client: SESv2Client;
  let release: () => void;
  beforeAll(async () => {
    cloud = await startTestCloud({
      timeScale: 2,
      ses: { sandbox: true, verifiedRecipients: ['tester@example.com'] },
    });
    release = cloud.clock.hold();
    client = new SESv2Client({ maxAttempts: 1 });
  });
  afterAll(async () => {
    release?.();
    client?.destroy();
    await cloud?.stop();
  });
  beforeEach(() => cloud.clock.advance(1_000));

  // https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html
  it('rejects an unverified recipient with MessageRejected and accepts a verified one', async () => {
    const result = await outcome(client, email({ Destination: { ToAddresses: ['anna@example.com'] } }));
    expect(result).toMatchObject({ name: 'MessageRejected', status: 400 });
    expect(result.message).toMatch(/^Email address is not verified\. .*anna@example\.com/);
    expect(await outcome(client, email({ Destination: { ToAddresses: ['tester@example.com'] } }))).toEqual({
      accepted: true,
    });
  });

  it('throttles a second message within the same second', async () => {
    const to = { Destination: { ToAddresses: ['tester@example.com'] } };
    expect(await outcome(client, email(to))).toEqual({ accepted: true });
    expect(await outcome(client, email(to))).toMatchObject({ name: 'TooManyRequestsException', status: 429 });
  });
});
