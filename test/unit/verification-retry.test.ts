import { describe, expect, it } from 'vitest';
import type { StepDecision } from '../../functions/shared/store/decisions.ts';
import { verificationRetry } from '../../functions/step/send-once.ts';

const HOUR = 3_600_000;
const ALWAYS = { start: 0, end: 24 }; // sending hours around the clock: only the backoff decides

function claimAfter(tries: number): StepDecision {
  const history = Array.from({ length: tries }, () => ({
    status: 'postponed',
    reason: 'identity-not-verified',
    at: '',
  }));
  return {
    storeId: 'demo',
    orderId: '1',
    sequence: 'follow-up',
    step: 'thanks',
    template: 'follow-up/thanks',
    status: 'sending',
    at: '',
    history: [...history, { status: 'sending', at: '' }],
  };
}

describe('retrying a send SES refused for an unverified identity', () => {
  it('waits 1, 2, 4, 8 and 16 hours, then a day, and gives up after ten tries (about six days)', () => {
    const waits = Array.from({ length: 11 }, (_, tries) => {
      const retry = verificationRetry(claimAfter(tries), 0, 'UTC', ALWAYS);
      return retry === undefined ? undefined : retry / HOUR;
    });
    expect(waits).toEqual([1, 2, 4, 8, 16, 24, 24, 24, 24, 24, undefined]);
  });

  it('moves a retry that falls in quiet hours to the next sending window', () => {
    const midnight = Date.UTC(2026, 0, 1, 23, 30);
    const retry = verificationRetry(claimAfter(0), midnight, 'UTC', { start: 9, end: 20 });
    expect(new Date(retry ?? 0).toISOString()).toBe('2026-01-02T09:00:00.000Z');
  });
});
