import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LambdaServiceError } from '../../local-cloud/lambda-runtime.ts';
import { LocalStepFunctions, localStateMachineArn } from '../../local-cloud/stepfunctions.ts';
import { VirtualClock } from '../../local-cloud/virtual-clock.ts';

const DAY = 86_400_000;
const start = Date.parse('2030-06-03T06:00:00Z');

/** A follow-up run input whose wakes are at `wakes` (ISO times); each wake runs the (stand-in) step function. */
function runInput(name: string, wakes: string[]) {
  return JSON.stringify({
    version: 2,
    storeId: 'demo',
    orderId: name,
    sequence: 'follow-up',
    name,
    plannedAt: new Date(start).toISOString(),
    steps: [{ key: 'thanks', template: 'follow-up/thanks', at: wakes[0] }],
    wakes: wakes.map((at) => ({ step: 0, at })),
    generation: 0,
  });
}

/**
 * The workflows' ASL on the local cloud's interpreter, with a stand-in for the step function (what it returns or
 * throws is the point of each test) and virtual time moved only by the test.
 */
describe('Step Functions rules on the local interpreter', () => {
  let clock: VirtualClock;
  let sfn: LocalStepFunctions;
  let step: (input: unknown) => Promise<unknown>;
  const wokeAt: number[] = [];
  beforeEach(() => {
    clock = new VirtualClock(1, start);
    wokeAt.length = 0;
    step = async () => ({ outcome: 'sent' });
    sfn = new LocalStepFunctions(clock, () => (input) => {
      wokeAt.push(clock.now());
      return step(input);
    });
  });
  afterEach(() => sfn.stopAll());

  /** Moves virtual time from wait to wait until the execution closes (bounded). */
  async function runToEnd(executionArn: string) {
    for (let round = 0; round < 500; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      const execution = sfn.describeExecution({ executionArn });
      if (execution.status !== 'RUNNING') return execution;
      const next = clock.nextTimerAt();
      if (next !== undefined) clock.advance(Math.max(0, next - clock.now()));
    }
    throw new Error(`${executionArn} still running`);
  }
  const start1 = (name: string, wakes: string[]) =>
    sfn.startExecution({ stateMachineArn: localStateMachineArn('follow-up'), name, input: runInput(name, wakes) });

  // https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html ("truncates milliseconds")
  it('wakes 09:00:00.999 and 09:00:00.000 in the same second, as AWS truncates Wait timestamps', async () => {
    // Prepare
    const late = start1('truncated-999', ['2030-06-03T09:00:00.999Z']);
    const early = start1('truncated-000', ['2030-06-03T09:00:00.000Z']);

    // Act
    await runToEnd(late.executionArn);
    await runToEnd(early.executionArn);

    // Assess
    const nine = Date.parse('2030-06-03T09:00:00.000Z');
    expect(wokeAt).toHaveLength(2);
    for (const woke of wokeAt) expect(woke - nine).toBeLessThan(500); // not 09:00:00.999
    for (const woke of wokeAt) expect(woke).toBeGreaterThanOrEqual(nine);
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html (Lambda.TooManyRequestsException)
  it('retries a throttled step: the Task sees Lambda.TooManyRequestsException, which its retrier matches', async () => {
    // Prepare
    let throttled = 0;
    step = async () => {
      if (throttled < 3) {
        throttled += 1;
        throw new LambdaServiceError('TooManyRequestsException', 'Rate Exceeded.');
      }
      return { outcome: 'sent' };
    };

    // Act
    const { executionArn } = start1('throttled', [new Date(start + 60_000).toISOString()]);
    const execution = await runToEnd(executionArn);

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(wokeAt).toHaveLength(4);
    // Its own retrier (1 s, 2 s, 4 s, full jitter), not the generic States.TaskFailed one (30 s, 60 s, 120 s).
    expect((wokeAt.at(-1) ?? 0) - (wokeAt[0] ?? 0)).toBeLessThan(7_500);
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html (States.DataLimitExceeded)
  it('fails the execution with States.DataLimitExceeded when a step returns more than 256 KiB, past any Catch', async () => {
    // Prepare
    step = async () => ({ outcome: 'x'.repeat(257 * 1024) });

    // Act
    const { executionArn } = start1('too-big', [new Date(start + 60_000).toISOString()]);
    const execution = await runToEnd(executionArn);

    // Assess: the workflow's Catch (States.ALL → Aftercare.StepFailed) does not catch it.
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('States.DataLimitExceeded');
  });

  // A name is unique for 90 days after its execution closes (../shared/NOTES.md); then its record is gone too.
  it('forgets a closed execution 90 days after it closed, still counting it and its failure, so memory stays bounded', async () => {
    // Prepare: one run that succeeds and one that fails (its step returns too much), both closed today
    const ok = start1('closes-ok', [new Date(start + 60_000).toISOString()]);
    await runToEnd(ok.executionArn);
    step = async () => ({ outcome: 'x'.repeat(257 * 1024) });
    const failed = start1('closes-failed', [new Date(start + 60_000).toISOString()]);
    await runToEnd(failed.executionArn);
    step = async () => ({ outcome: 'sent' });
    const before = sfn.stats();

    // Act: 89 days on, a start keeps them; 90 days on, the next start forgets them
    clock.advance(89 * DAY);
    start1('day-89', [new Date(clock.now() + 60_000).toISOString()]);
    const kept = sfn.describeExecution({ executionArn: ok.executionArn }).status;
    clock.advance(DAY);
    start1('day-90', [new Date(clock.now() + 60_000).toISOString()]);

    // Assess: gone from the API as on AWS, name free again, still in the totals and in the failures
    expect(kept).toBe('SUCCEEDED');
    expect(() => sfn.describeExecution({ executionArn: ok.executionArn })).toThrow(/Execution Does Not Exist/);
    expect(sfn.stats().executions).toBe(before.executions + 2);
    expect(sfn.stats().byStatus).toMatchObject({ SUCCEEDED: 1, FAILED: 1, RUNNING: 2 });
    expect(sfn.stats().transitions).toBeGreaterThanOrEqual(before.transitions);
    expect(sfn.failures()).toEqual([
      expect.objectContaining({ name: 'closes-failed', error: 'States.DataLimitExceeded' }),
    ]);
    expect(sfn.lifetimes()).toHaveLength(4);
    expect(start1('closes-ok', [new Date(clock.now() + 60_000).toISOString()]).executionArn).toBe(ok.executionArn);
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html (one year maximum execution time)
  it('times an execution out after one year', async () => {
    // Prepare: a wait beyond one year (the product hops into a continuation before that; this run does not).
    const { executionArn } = start1('forever', [new Date(start + 400 * DAY).toISOString()]);

    // Act
    clock.advance(365 * DAY);
    await new Promise((resolve) => setTimeout(resolve, 5));

    // Assess
    const execution = sfn.describeExecution({ executionArn });
    expect(execution.status).toBe('TIMED_OUT');
    expect(execution.error).toBe('States.Timeout');
    expect(wokeAt).toEqual([]);
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html (25,000 history events; lowered here)
  it('fails an execution whose history grows past the events quota (about 9 events per wake)', async () => {
    // Prepare
    sfn.limits.maxHistoryEvents = 90;
    const soon = (minutes: number) => new Date(start + minutes * 60_000).toISOString();

    // Act
    const short = await runToEnd(start1('short-history', [soon(1), soon(2), soon(3), soon(4), soon(5)]).executionArn);
    const long = await runToEnd(
      start1(
        'long-history',
        Array.from({ length: 20 }, (_, index) => soon(10 + index)),
      ).executionArn,
    );

    // Assess
    expect(short.status).toBe('SUCCEEDED');
    expect(long.status).toBe('FAILED');
    expect(long.error).toBe('States.Runtime');
    expect(long.cause).toContain('history events');
  });

  // The README promises Node 20 or newer; the interpreter times Tasks with Promise.withResolvers (Node 22 only).
  it('runs a step on Node 20, which has no Promise.withResolvers', async () => {
    // Prepare: Node 20's Promise, for the interpreter loaded from here on.
    const withResolvers = Object.getOwnPropertyDescriptor(Promise, 'withResolvers');
    Reflect.deleteProperty(Promise, 'withResolvers');
    try {
      sfn = new LocalStepFunctions(clock, () => (input) => {
        wokeAt.push(clock.now());
        return step(input);
      });

      // Act
      const execution = await runToEnd(start1('node-20', [new Date(start + 60_000).toISOString()]).executionArn);

      // Assess
      expect(execution.status).toBe('SUCCEEDED');
      expect(wokeAt).toHaveLength(1);
    } finally {
      if (withResolvers) Object.defineProperty(Promise, 'withResolvers', withResolvers);
    }
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html (a failed iteration fails the Map state)
  it('never wakes the step again once a failed wake has failed the execution', async () => {
    // Prepare: the first wake fails past every retrier; two more wakes are due later.
    step = async () => {
      throw new TerminalFailure();
    };
    const soon = (minutes: number) => new Date(start + minutes * 60_000).toISOString();

    // Act
    const execution = await runToEnd(start1('failed-early', [soon(1), soon(60), soon(120)]).executionArn);
    clock.advance(3 * 60 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 20));

    // Assess: only the first wake ran.
    expect(execution.status).toBe('FAILED');
    expect(wokeAt.length).toBeGreaterThan(0);
    for (const woke of wokeAt) expect(woke).toBeLessThan(start + 60 * 60_000);
  });
});

/** An error no retrier of the workflows matches. */
class TerminalFailure extends Error {
  override name = 'Aftercare.Unexpected';
}
