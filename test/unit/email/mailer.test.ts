import { describe, expect, it } from 'vitest';
import { messageTagValue, mimeHeaderValue } from '#shared/mailer.ts';

// https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_MessageTag.html
describe('message-tag values sent to SES', () => {
  it('keeps an allowed value exactly as it is', () => {
    expect(messageTagValue('offer-BAGS-10')).toBe('offer-BAGS-10');
  });

  it('turns a value with a dot or an at sign into allowed characters, the same every time', () => {
    const value = messageTagValue('offer-FILTER.2');
    expect(value).toMatch(/^offer-FILTER_2-[0-9a-f]{8}$/);
    expect(messageTagValue('offer-FILTER.2')).toBe(value);
    expect(messageTagValue('offer-a@b')).toMatch(/^offer-a_b-[0-9a-f]{8}$/);
  });

  it('never maps two different values to one tag, nor onto an allowed value', () => {
    const values = ['offer-FILTER.2', 'offer-FILTER@2', 'offer-FILTER_2', 'offer-FILTER 2'].map(messageTagValue);
    expect(new Set(values).size).toBe(4);
  });

  it('keeps long and empty values within 1 to 256 allowed characters', () => {
    for (const value of [`offer-${'Ü'.repeat(400)}`, '', 'x'.repeat(300)]) {
      expect(messageTagValue(value)).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
    }
  });
});

// https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_MessageHeader.html, RFC 2047
describe('custom header values sent to SES', () => {
  const decode = (value: string) =>
    value
      .split(' ')
      .map((word) => Buffer.from(/^=\?UTF-8\?B\?(.*)\?=$/.exec(word)?.[1] ?? '', 'base64').toString('utf8'))
      .join('');

  it('sends a printable ASCII value as it is (the header contract for ASCII SKUs)', () => {
    expect(mimeHeaderValue('offer-FILTER.2')).toBe('offer-FILTER.2');
  });

  it('encodes a non-ASCII value as RFC 2047 encoded words that decode to the original', () => {
    const encoded = mimeHeaderValue('offer-KAFFEE-MÜHLE');
    expect(encoded).toMatch(/^[ -~]+$/);
    expect(decode(encoded)).toBe('offer-KAFFEE-MÜHLE');
  });

  it('splits a long non-ASCII value into words of at most 75 characters, 870 in all', () => {
    const encoded = mimeHeaderValue(`offer-${'Kaffeemühle-'.repeat(100)}`);
    expect(encoded.length).toBeLessThanOrEqual(870);
    expect(encoded.split(' ').every((word) => word.length <= 75)).toBe(true);
    expect(`offer-${'Kaffeemühle-'.repeat(100)}`.startsWith(decode(encoded))).toBe(true);
  });
});
