import type { Clock } from '../../functions/shared/clock.ts';

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Virtual time: `scale` virtual seconds pass per real second, starting at `virtualStart`.
 * `setTimeout` takes virtual milliseconds and fires after the matching real delay, in chunks, so a wait longer
 * than Node's 24.8-day timer limit still waits instead of firing at once.
 */
export class VirtualClock implements Clock {
  private readonly realStart = Date.now();

  constructor(
    readonly scale = 1,
    private readonly virtualStart = Date.now(),
  ) {
    if (!(scale > 0) || !Number.isFinite(scale))
      throw new Error(`AFTERCARE_TIME_SCALE must be a positive number, got ${scale}`);
  }

  now(): number {
    return Math.floor(this.virtualStart + (Date.now() - this.realStart) * this.scale);
  }

  setTimeout(callback: () => void, virtualMs: number): VirtualTimer {
    const timer: VirtualTimer = { handle: undefined };
    const target = this.now() + Math.max(0, virtualMs);
    const arm = () => {
      const realDelay = (target - this.now()) / this.scale;
      if (realDelay <= 0) {
        timer.handle = undefined;
        callback();
        return;
      }
      timer.handle = setTimeout(arm, Math.min(Math.ceil(realDelay), MAX_TIMER_MS));
    };
    arm();
    return timer;
  }

  clearTimeout(timer: VirtualTimer | undefined): void {
    if (timer?.handle) clearTimeout(timer.handle);
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
  handle: NodeJS.Timeout | undefined;
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
