/**
 * The one notion of "now" every handler uses. On AWS it is the real clock; the local cloud installs a virtual
 * clock (AFTERCARE_TIME_SCALE virtual seconds per real second) so months of sequences play out in seconds.
 */
export interface Clock {
  now(): number;
}

const CLOCK = Symbol.for('aftercare.clock');
type ClockHolder = { [CLOCK]?: Clock };

export function now(): number {
  const clock = (globalThis as ClockHolder)[CLOCK];
  return clock ? clock.now() : Date.now();
}

export function nowIso(): string {
  return new Date(now()).toISOString();
}

/** Used by the local cloud only; returns a function that restores the previous clock. */
export function installClock(clock: Clock): () => void {
  const holder = globalThis as ClockHolder;
  const previous = holder[CLOCK];
  holder[CLOCK] = clock;
  return () => {
    if (previous) holder[CLOCK] = previous;
    else delete holder[CLOCK];
  };
}
