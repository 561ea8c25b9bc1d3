import type { VirtualClock, VirtualTimer } from './virtual-clock.ts';

/** EventBridge rate expressions (`rate(5 minutes)`) in milliseconds; the local cloud runs no cron schedules. */
export function rateMs(expression: string): number {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (!match) throw new Error(`local cloud: schedule ${expression} is not a rate(<n> minutes|hours|days) expression`);
  const unit = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[match[2]?.replace(/s$/, '') as 'minute'];
  return Number(match[1]) * unit;
}

/**
 * A scheduled EventBridge rule on the virtual clock, firing on its period's ticks. A tick at which the run index
 * holds nothing due is skipped: the keeper would find nothing (one empty Query per shard), so skipping changes no
 * outcome, and `simulate`'s two virtual years do not pay ~210,000 empty passes. `nextDue` is the earliest due time
 * in the index; `notice` is told each due time written, so a run due sooner re-arms the rule's next tick.
 */
export class LocalSchedule {
  private timer: VirtualTimer | undefined;
  private armedAt: number | undefined;
  private firing = false;
  private stopped = false;
  readonly fired: number[] = [];

  constructor(
    private readonly clock: VirtualClock,
    readonly periodMs: number,
    private readonly fire: () => Promise<void>,
    private readonly nextDue: () => Promise<number | undefined>,
    /** Ticks are multiples of the period since this moment (EventBridge starts counting at the rule's creation). */
    private readonly origin = clock.now(),
  ) {}

  /** The first tick strictly after `after`. */
  tickAfter(after: number): number {
    return this.origin + (Math.floor((after - this.origin) / this.periodMs) + 1) * this.periodMs;
  }

  async start(): Promise<void> {
    await this.rearm();
  }

  /** A run item now due at `dueAt`: the rule must fire at the first tick that sees it. */
  notice(dueAt: number): void {
    if (this.stopped || this.firing) return; // a pass in progress re-arms from the index when it ends
    const tick = this.tickAfter(Math.max(dueAt - 1, this.clock.now()));
    if (this.armedAt === undefined || tick < this.armedAt) this.arm(tick);
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
  }

  private arm(at: number): void {
    this.clock.clearTimeout(this.timer);
    this.armedAt = at;
    this.timer = this.clock.setTimeout(() => void this.tick(), Math.max(0, at - this.clock.now()));
  }

  private async rearm(): Promise<void> {
    if (this.stopped) return;
    const due = await this.nextDue();
    this.clock.clearTimeout(this.timer);
    this.armedAt = undefined;
    this.timer = undefined;
    if (due !== undefined) this.arm(this.tickAfter(Math.max(due - 1, this.clock.now())));
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    this.armedAt = undefined;
    this.firing = true;
    try {
      this.fired.push(this.clock.now());
      await this.fire();
    } finally {
      this.firing = false;
      await this.rearm();
    }
  }
}
