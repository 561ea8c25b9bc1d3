/**
 * Step Functions (Standard) quotas the local cloud enforces, as documented on
 * https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html (us-east-1 figures).
 * `LocalStepFunctions.limits` is this object's copy: tests lower a quota to reach it.
 */
export const STEP_FUNCTIONS_LIMITS = {
  /** Open (running) executions per account and region; beyond: `ExecutionLimitExceeded`. */
  maxOpenExecutions: 1_000_000,
  /** Input, output and state data: 256 KiB as UTF-8 (`States.DataLimitExceeded`, StartExecution input length). */
  maxPayloadBytes: 256 * 1024,
  /** StartExecution token bucket for Standard workflows in us-east-1: 1,300 burst, 300 per second refill. */
  startExecutionBurst: 1300,
  startExecutionPerSecond: 300,
  /** An execution may run for one year; then it times out. */
  maxDurationMs: 365 * 24 * 3600 * 1000,
  /** Events in one execution's history; the execution fails when it would record more. */
  maxHistoryEvents: 25_000,
  /** A closed execution's name stays taken for 90 days (then its history is gone and the name is free). */
  nameRetentionMs: 90 * 24 * 3600 * 1000,
};
export type StepFunctionsLimits = typeof STEP_FUNCTIONS_LIMITS;

/**
 * A token bucket refilled by whichever clock moved more, virtual or real: on the accelerated clock virtual time
 * stands still while a function runs, and real time must still refill it (never stricter than AWS).
 */
export class TokenBucket {
  private tokens: number;
  private lastVirtual: number;
  private lastReal = Date.now();

  constructor(
    private readonly limits: () => { burst: number; perSecond: number },
    private readonly virtualNow: () => number,
  ) {
    this.tokens = limits().burst;
    this.lastVirtual = virtualNow();
  }

  take(): boolean {
    const { burst, perSecond } = this.limits();
    const virtual = this.virtualNow();
    const real = Date.now();
    const elapsedMs = Math.max(virtual - this.lastVirtual, real - this.lastReal, 0);
    this.lastVirtual = virtual;
    this.lastReal = real;
    this.tokens = Math.min(burst, this.tokens + (elapsedMs / 1000) * perSecond);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * How many history events AWS would record for an interpreter event (an approximation: AWS's exact event list per
 * state type differs a little). Every state: entered + exited. A Task attempt (the first, and each retry): scheduled,
 * started, succeeded or failed. A Map iteration: started + succeeded/failed. The execution: started + closed.
 */
export function historyEventsFor(event: { type: string; state?: { type?: string } }): number {
  switch (event.type) {
    case 'StateEntered':
      return event.state?.type === 'Task' ? 4 : 1;
    case 'StateRetried':
      return event.state?.type === 'Task' ? 3 : 0;
    case 'StateExited':
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed':
    case 'ExecutionStarted':
    case 'ExecutionSucceeded':
    case 'ExecutionFailed':
      return 1;
    default:
      return 0;
  }
}

/** A terminal error: Retry and Catch (`States.ALL` included) do not match it, the execution fails with it. */
export class TerminalStatesError extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}
