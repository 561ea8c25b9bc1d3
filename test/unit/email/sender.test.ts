import { describe, expect, it } from 'vitest';
import { senderAddress } from '#shared/email/sender.ts';

/** Reads a From value back as a mail client would (RFC 2047 B encoding, RFC 5322 quoted strings). */
function displayNameOf(from: string): string {
  const phrase = from.slice(0, from.lastIndexOf(' <'));
  if (phrase.startsWith('"')) return phrase.slice(1, -1).replace(/\\(.)/g, '$1');
  return phrase
    .split(' ')
    .map((word) => {
      const encoded = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=$/.exec(word);
      return encoded ? Buffer.from(encoded[1] ?? '', 'base64').toString('utf8') : ` ${word}`;
    })
    .join('')
    .trim();
}

describe('the sender display name', () => {
  it('puts a plain store name in front of the address as it is', () => {
    expect(senderAddress('Demo Appliances', 'care@demo.example')).toBe('Demo Appliances <care@demo.example>');
  });

  it('quotes a name with punctuation RFC 5322 does not allow bare, escaping quotes and backslashes', () => {
    // Prepare
    const name = 'Kitchen "World", Inc. \\ Co';
    // Act
    const from = senderAddress(name, 'care@kitchen.example');
    // Assess
    expect(from).toBe('"Kitchen \\"World\\", Inc. \\\\ Co" <care@kitchen.example>');
    expect(displayNameOf(from)).toBe(name);
  });

  it('writes a name with accents or emoji as UTF-8 encoded words of at most 75 characters, all 7-bit ASCII', () => {
    // Prepare: SES accepts only 7-bit ASCII in FromEmailAddress and wants RFC 2047 encoded words for the name.
    const name = 'Café Crème Küchenwelt – Qualität seit 1984 ☕ und noch viel mehr Zubehör für Zuhause';
    // Act
    const from = senderAddress(name, 'care@cafe.example');
    // Assess
    expect(from).toMatch(/^[\x20-\x7e]+$/);
    const words = from.slice(0, from.lastIndexOf(' <')).split(' ');
    expect(words.length).toBeGreaterThan(1);
    for (const word of words) expect(word.length).toBeLessThanOrEqual(75);
    expect(displayNameOf(from)).toBe(name);
    expect(from.endsWith(' <care@cafe.example>')).toBe(true);
  });

  it('never lets a line break or an encoded-word lookalike through as header syntax', () => {
    expect(senderAddress('Evil\r\nBcc: x@y.example', 'care@a.example')).toBe(
      '"Evil Bcc: x@y.example" <care@a.example>',
    );
    expect(senderAddress('=?UTF-8?B?SGk=?=', 'care@a.example')).toBe('"=?UTF-8?B?SGk=?=" <care@a.example>');
  });

  it('falls back to the bare address when the name is empty', () => {
    expect(senderAddress('  ', 'care@a.example')).toBe('care@a.example');
  });
});
