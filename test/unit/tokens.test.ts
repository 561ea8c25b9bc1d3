import { createHmac } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createToken, type TokenPayload, verifyToken } from '../../functions/shared/tokens.ts';

const SECRET = 'unit-test-link-secret-of-at-least-32-characters';
const NOW = Date.parse('2026-12-01T12:00:00Z');
const PAYLOAD: TokenPayload = {
  p: 'unsubscribe',
  s: 'demo',
  o: '1001',
  c: '2c26b46b68ffc68ff99b453c1d30413413422d70',
  e: NOW / 1000 + 86_400,
};

/** Every other base64url character whose 6 bits agree with `char` on the bits that carry data. */
function otherSpellings(char: string, dataBits: number): string[] {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const mask = (0x3f << (6 - dataBits)) & 0x3f;
  const value = alphabet.indexOf(char);
  return [...alphabet].filter((other) => other !== char && (alphabet.indexOf(other) & mask) === (value & mask));
}

const outcome = (token: string) =>
  verifyToken(token, 'unsubscribe', NOW).then(
    () => 'accepted',
    (error: Error) => error.message,
  );

describe('link tokens', () => {
  beforeEach(() => {
    vi.stubEnv('AFTERCARE_STAGE', 'local');
    vi.stubEnv('AFTERCARE_LINK_SECRET', SECRET);
  });

  it('carry nothing readable: no customer key (an address hash), no order or store id', async () => {
    // Prepare
    const token = await createToken(PAYLOAD);

    // Act
    const decoded = Buffer.from(token, 'base64url').toString('latin1');

    // Assess
    for (const value of [PAYLOAD.c, PAYLOAD.c.slice(0, 12), '"demo"', '1001', 'unsubscribe']) {
      expect(decoded).not.toContain(value);
    }
    expect(await verifyToken(token, 'unsubscribe', NOW)).toEqual(PAYLOAD);
  });

  it('accept only the one spelling of a token, not the others that decode to the same bytes', async () => {
    // Prepare
    const token = await createToken(PAYLOAD);
    const dataBits = (Buffer.from(token, 'base64url').length * 8) % 6 || 6;
    const last = token.at(-1) ?? '';
    const respelled = otherSpellings(last, dataBits).map((char) => token.slice(0, -1) + char);

    // Act
    const outcomes = await Promise.all(respelled.map(outcome));

    // Assess
    expect(respelled.length).toBeGreaterThan(0);
    expect(new Set(outcomes)).toEqual(new Set(['link token rejected: signature']));
    expect(await outcome(token)).toBe('accepted');
  });

  it('still honour a link sent before tokens were sealed, in its one spelling only', async () => {
    // Prepare
    const body = Buffer.from(JSON.stringify(PAYLOAD)).toString('base64url');
    const signature = createHmac('sha256', SECRET).update(body).digest('base64url');
    const respelled = otherSpellings(signature.at(-1) ?? '', 4).map((char) => signature.slice(0, -1) + char);

    // Act
    const legacy = await outcome(`${body}.${signature}`);
    const others = await Promise.all(respelled.map((variant) => outcome(`${body}.${variant}`)));

    // Assess
    expect(legacy).toBe('accepted');
    expect(respelled).toHaveLength(3);
    expect(new Set(others)).toEqual(new Set(['link token rejected: signature']));
  });
});
