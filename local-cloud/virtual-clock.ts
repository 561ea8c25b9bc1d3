import type { Clock } from '../functions/shared/clock.ts';

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Virtual time: `scale` virtual seconds pass per real second, starting at `virtualStart`.
 * `setTimeout` takes virtual milliseconds and fires after the matching real delay, in chunks, so a wait longer
 * than Node's 24.8-day timer limit still waits instead of firing at once.
 *
 * When accelerated, virtual time stands still while a function runs (`hold`): a handler's real running time —
 * milliseconds that would be hours at a month per second — costs no virtual time, so quiet hours, caps and
 * lateness are decided the same on a fast or a loaded machine. At scale 1 the clock is plain real time.
 */
export class VirtualClock implements Clock {
  private realStart = Date.now();
  private readonly pending = new Set<VirtualTimer>();
  /** Timers that came due or were created while virtual time stood still: armed when it runs again. */
  private readonly unarmed = new Set<VirtualTimer>();
  private holds = 0;
  private heldSince = 0;
  private heldTotal = 0;
  /** The latest time anyone was told: virtual time never runs backwards past it. */
  private observed = Number.NEGATIVE_INFINITY;

  constructor(
    readonly scale = 1,
    private virtualStart = Date.now(),
  ) {
    if (!(scale > 0) || !Number.isFinite(scale))
      throw new Error(`AFTERCARE_TIME_SCALE must be a positive number, got ${scale}`);
  }

  /** Restarts virtual time at `virtualNow` from this real moment (used once the local cloud is ready). */
  anchor(virtualNow: number): void {
    this.realStart = this.holds > 0 ? this.heldSince : Date.now();
    this.heldTotal = 0;
    this.virtualStart = virtualNow;
    this.observed = virtualNow;
  }

  now(): number {
    const now = this.current();
    if (now > this.observed) this.observed = now;
    return now;
  }

  private current(): number {
    const realNow = this.holds > 0 ? this.heldSince : Date.now();
    return Math.floor(this.virtualStart + (realNow - this.realStart - this.heldTotal) * this.scale);
  }

  /** Stops virtual time until the returned release is called (holds nest). A no-op at scale 1. */
  hold(): () => void {
    if (this.scale === 1) return () => undefined;
    if (this.holds === 0) this.heldSince = Date.now();
    this.holds += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds -= 1;
      if (this.holds > 0) return;
      this.heldTotal += Date.now() - this.heldSince;
      // Timers armed before the hold fire a little early in real time and re-arm themselves for what is left;
      // only those that could not be armed during the hold need it now (not every pending one: thousands wait).
      const due = [...this.unarmed].sort((a, b) => a.target - b.target);
      this.unarmed.clear();
      for (const timer of due) timer.arm();
    };
  }

  setTimeout(callback: () => void, virtualMs: number): VirtualTimer {
    const target = this.now() + Math.max(0, virtualMs);
    const timer: VirtualTimer = {
      target,
      handle: undefined,
      arm: () => {
        if (timer.handle) clearTimeout(timer.handle);
        timer.handle = undefined;
        if (this.holds > 0) {
          this.unarmed.add(timer); // armed on release
          return;
        }
        this.unarmed.delete(timer);
        const realDelay = (target - this.current()) / this.scale;
        if (realDelay <= 0) {
          timer.handle = undefined;
          this.pending.delete(timer);
          // What the wake starts (the interpreter's next states, up to a function's own hold) takes no virtual time.
          const release = this.hold();
          try {
            callback();
          } finally {
            setImmediate(release);
          }
          return;
        }
        timer.handle = setTimeout(timer.arm, Math.min(Math.ceil(realDelay), MAX_TIMER_MS));
      },
    };
    this.pending.add(timer);
    timer.arm();
    return timer;
  }

  clearTimeout(timer: VirtualTimer | undefined): void {
    if (!timer) return;
    if (timer.handle) clearTimeout(timer.handle);
    timer.handle = undefined;
    this.pending.delete(timer);
    this.unarmed.delete(timer);
  }

  /** When the earliest pending wait is due (virtual ms), if any. */
  nextTimerAt(): number | undefined {
    let next: number | undefined;
    for (const timer of this.pending) if (next === undefined || timer.target < next) next = timer.target;
    return next;
  }

  /**
   * Jumps virtual time forward by `virtualMs` (tests, demos): every pending wait whose moment has come fires now,
   * in order, and the others are re-armed for what is left of them.
   */
  advance(virtualMs: number): void {
    if (!(virtualMs >= 0)) throw new Error('the virtual clock only moves forward');
    this.virtualStart += virtualMs;
    this.observed = this.current(); // a jump is seen: waits it passes wake late, at the new time
    for (const timer of [...this.pending].sort((a, b) => a.target - b.target)) timer.arm();
  }

  /** A Date class whose `now()` and argument-less constructor follow this clock. */
  dateClass(): DateConstructor {
    const clock = this;
    class VirtualDate extends Date {
      constructor(...args: unknown[]) {
        if (args.length === 0) super(clock.now());
        else super(...(args as [string | number | Date]));
      }
      static override now(): number {
        return clock.now();
      }
    }
    return VirtualDate as DateConstructor;
  }
}

export interface VirtualTimer {
  target: number;
  handle: NodeJS.Timeout | undefined;
  arm: () => void;
}

export function timeScaleFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.AFTERCARE_TIME_SCALE;
  if (raw === undefined || raw === '') return 1;
  const scale = Number(raw);
  if (!(scale > 0) || !Number.isFinite(scale)) {
    throw new Error(`AFTERCARE_TIME_SCALE must be a positive number of virtual seconds per real second, got "${raw}"`);
  }
  return scale;
}
