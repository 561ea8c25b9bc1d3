import { describe, expect, it } from 'vitest';
import { HottestKey, PerSecond } from '../../local-cloud/observations.ts';

const at = (iso: string) => Date.parse(iso);

describe('capacity counters of the local cloud', () => {
  it('finds the second that held the most events, whatever the millisecond inside it', () => {
    const counter = new PerSecond();
    for (let i = 0; i < 5; i += 1) counter.record(at('2030-03-04T08:00:00.000Z') + i * 199);
    counter.record(at('2030-03-04T08:00:01.000Z'));
    counter.record(at('2030-03-04T07:59:59.999Z'));

    expect(counter.peak()).toEqual({ at: at('2030-03-04T08:00:00.000Z'), count: 5 });
    expect(counter.total).toBe(7);
  });

  it('sums the busiest window of consecutive seconds, not seconds far apart', () => {
    const counter = new PerSecond();
    counter.record(at('2030-03-04T08:00:00Z'), 10);
    counter.record(at('2030-03-04T08:00:59Z'), 10);
    counter.record(at('2030-03-04T08:01:00Z'), 15);

    expect(counter.peakOver(60)).toBe(25);
    expect(counter.peakOver(1)).toBe(15);
    expect(counter.between(at('2030-03-04T08:00:00Z'), at('2030-03-04T08:01:00Z'))).toBe(20);
  });

  it('merges several counters so one busy second across workflows shows as one peak', () => {
    const followUp = new PerSecond();
    const survey = new PerSecond();
    followUp.record(at('2030-03-05T08:00:00Z'), 3);
    survey.record(at('2030-03-05T08:00:00Z'), 4);
    survey.record(at('2030-03-06T08:00:00Z'), 5);

    expect(PerSecond.merge([followUp, survey]).peak()).toEqual({ at: at('2030-03-05T08:00:00Z'), count: 7 });
  });

  it('counts writes per partition key and second, so a hot key stands out from a busy table', () => {
    const writes = new HottestKey();
    for (let i = 0; i < 3; i += 1) writes.record(at('2030-03-04T08:00:00Z'), `PURCHASE#demo#${i}`);
    for (let i = 0; i < 2; i += 1) writes.record(at('2030-03-04T08:00:00Z') + i, 'STORE#demo');
    writes.record(at('2030-03-04T08:00:01Z'), 'STORE#demo');

    expect(writes.peak).toBe(2);
    expect(writes.peakKey).toBe('STORE#demo');
  });

  it('keeps the hottest key of a long run while holding only the latest seconds of counts', () => {
    const writes = new HottestKey();
    for (let i = 0; i < 4; i += 1) writes.record(at('2030-03-04T08:00:00Z'), 'STORE#demo');
    for (let second = 1; second <= 10_000; second += 1)
      writes.record(at('2030-03-04T08:00:00Z') + second * 1000, `PURCHASE#demo#${second}`);

    expect(writes.peak).toBe(4);
    expect(writes.peakKey).toBe('STORE#demo');
    expect(writes.size).toBeLessThanOrEqual(2);
  });
});
