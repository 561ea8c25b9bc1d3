import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local-cloud/virtual-clock.ts';

describe('virtual clock', () => {
  it('runs `scale` virtual seconds per real second', async () => {
    const clock = new VirtualClock(3600, Date.parse('2030-01-01T00:00:00Z'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const elapsedVirtual = clock.now() - Date.parse('2030-01-01T00:00:00Z');
    expect(elapsedVirtual).toBeGreaterThanOrEqual(90 * 3600);
    expect(elapsedVirtual).toBeLessThan(2000 * 3600);
  });

  it('fires a wait of 30 virtual days after about 30/scale real seconds, not at once', async () => {
    const clock = new VirtualClock(30 * 86_400 * 5); // 30 days per 200 ms
    const started = Date.now();
    await new Promise<void>((resolve) => clock.setTimeout(resolve, 30 * 86_400_000));
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('waits longer than Node’s 24.8-day timer limit at real speed instead of firing immediately', () => {
    const clock = new VirtualClock(1);
    let fired = false;
    const timer = clock.setTimeout(() => {
      fired = true;
    }, 40 * 86_400_000);
    expect(fired).toBe(false);
    expect(timer.handle).toBeDefined();
    clock.clearTimeout(timer);
  });

  it('gives a Date class whose now() and new Date() follow the virtual clock', () => {
    const clock = new VirtualClock(1, Date.parse('2031-05-05T00:00:00Z'));
    const VirtualDate = clock.dateClass();
    expect(new VirtualDate().getUTCFullYear()).toBe(2031);
    expect(new VirtualDate('2020-01-01T00:00:00Z').getUTCFullYear()).toBe(2020);
    expect(VirtualDate.now()).toBeGreaterThanOrEqual(Date.parse('2031-05-05T00:00:00Z'));
  });

  it('stands still during a hold: a wait due meanwhile fires after the release, one armed before it fires no earlier', async () => {
    const scale = 86_400 * 10; // a virtual day per 100 real ms
    const clock = new VirtualClock(scale, Date.parse('2030-01-01T00:00:00Z'));
    const firedAt: Record<string, number> = {};
    clock.setTimeout(() => {
      firedAt.beforeHold = clock.now();
    }, 86_400_000); // one virtual day: armed before the hold
    const release = clock.hold();
    const heldAt = clock.now();
    clock.setTimeout(() => {
      firedAt.duringHold = clock.now();
    }, 0); // due at once, but virtual time stands still
    await new Promise((resolve) => setTimeout(resolve, 150)); // longer than the day armed before the hold
    expect(clock.now()).toBe(heldAt);
    expect(firedAt).toEqual({});
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(firedAt.duringHold).toBeGreaterThanOrEqual(heldAt);
    expect(firedAt.beforeHold).toBeUndefined();
    await new Promise<void>((resolve) => clock.setTimeout(resolve, 86_400_000));
    expect(firedAt.beforeHold).toBeGreaterThanOrEqual(Date.parse('2030-01-02T00:00:00Z'));
  });

  it('rejects a scale that is not a positive number', () => {
    expect(() => new VirtualClock(0)).toThrow(/AFTERCARE_TIME_SCALE/);
  });
});

describe('fast-forwarding the virtual clock', () => {
  it('fires the waits that have come due, in order, and keeps the later ones waiting', async () => {
    const clock = new VirtualClock(1);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('two years'), 730 * 86_400_000);
    clock.setTimeout(() => fired.push('one year'), 365 * 86_400_000);
    clock.setTimeout(() => fired.push('three years'), 1095 * 86_400_000);
    clock.advance(800 * 86_400_000);
    expect(fired).toEqual(['one year', 'two years']);
    clock.advance(300 * 86_400_000);
    expect(fired).toEqual(['one year', 'two years', 'three years']);
    expect(() => clock.advance(-1)).toThrow(/forward/);
  });
});
