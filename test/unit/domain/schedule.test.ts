import { describe, expect, it } from 'vitest';
import { addMonths, isInSendWindow, nextSendWindow } from '#shared/domain/schedule.ts';

const quiet = { start: 9, end: 20 };

describe('quiet hours', () => {
  it('keeps a time inside the window', () => {
    const noonAmsterdam = Date.parse('2026-06-10T10:00:00Z'); // 12:00 CEST
    expect(nextSendWindow(noonAmsterdam, 'Europe/Amsterdam', quiet)).toBe(noonAmsterdam);
  });

  it('moves 3 a.m. local time to 09:00 the same day', () => {
    const threeAm = Date.parse('2026-06-10T01:00:00Z'); // 03:00 CEST
    expect(new Date(nextSendWindow(threeAm, 'Europe/Amsterdam', quiet)).toISOString()).toBe('2026-06-10T07:00:00.000Z');
  });

  it('moves 22:00 local time to 09:00 the next day, in the customer zone not UTC', () => {
    const tenPmNewYork = Date.parse('2026-01-15T03:00:00Z'); // 22:00 EST on Jan 14
    expect(new Date(nextSendWindow(tenPmNewYork, 'America/New_York', quiet)).toISOString()).toBe(
      '2026-01-15T14:00:00.000Z',
    );
  });

  it('handles the night clocks go forward (Europe, 29 March 2026)', () => {
    const night = Date.parse('2026-03-29T00:30:00Z'); // 01:30 CET, DST starts at 02:00
    const next = nextSendWindow(night, 'Europe/Amsterdam', quiet);
    expect(new Date(next).toISOString()).toBe('2026-03-29T07:00:00.000Z'); // 09:00 CEST
    expect(isInSendWindow(next, 'Europe/Amsterdam', quiet)).toBe(true);
  });

  it('adds calendar months without overflowing short months', () => {
    expect(new Date(addMonths(Date.parse('2026-01-31T12:00:00Z'), 1)).toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(new Date(addMonths(Date.parse('2026-03-15T12:00:00Z'), 36)).toISOString()).toBe('2029-03-15T12:00:00.000Z');
  });
});
