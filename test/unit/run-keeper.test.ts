import { describe, expect, it } from 'vitest';
import { firstUndecided, judgeRun } from '../../functions/keeper/judge.ts';
import { PARK_HORIZON_MS, parkBeyondHorizon } from '../../functions/shared/sequences.ts';
import type { RunRecord } from '../../functions/shared/store/runs.ts';

const HOUR = 3_600_000;
const start = Date.parse('2030-01-01T08:00:00Z');
const at = (offset: number) => new Date(start + offset).toISOString();
const steps = [{ key: 'thanks' }, { key: 'check-in' }, { key: 'maintenance-1' }];
const run = (overrides: Partial<RunRecord>): RunRecord => ({
  storeId: 'demo',
  orderId: '1',
  sequence: 'follow-up',
  name: 'demo-1-x-fu',
  state: 'live',
  generation: 2,
  nextStep: 1,
  at: at(0),
  history: [],
  ...overrides,
});

describe('parking: a wake beyond the horizon is not waited for', () => {
  it('keeps wakes within the horizon and turns the first beyond it into a parking wake at the last kept time', () => {
    const wakes = [
      { step: 0, at: at(20 * HOUR) },
      { step: 1, at: at(10 * 24 * HOUR) },
      { step: 2, at: at(70 * 24 * HOUR) },
    ];
    expect(parkBeyondHorizon(wakes, start)).toEqual([
      { step: 0, at: at(20 * HOUR) },
      { step: 1, at: at(20 * HOUR), hop: true, until: at(10 * 24 * HOUR) },
    ]);
  });

  it('parks at once when even the first wake is far, and marks a 360-day hop as the lifetime, not the step time', () => {
    expect(parkBeyondHorizon([{ step: 0, at: at(PARK_HORIZON_MS + 1) }], start)).toEqual([
      { step: 0, at: at(0), hop: true, until: at(PARK_HORIZON_MS + 1) },
    ]);
    expect(parkBeyondHorizon([{ step: 0, at: at(360 * 24 * HOUR), hop: true }], start)).toEqual([
      { step: 0, at: at(0), hop: true, until: at(360 * 24 * HOUR), lifetime: true },
    ]);
  });
});

describe('judging a due run', () => {
  const base = { open: true, steps, decisions: [], now: start, graceMs: 2 * HOUR };

  it('unparks a parked run from its next step at its recorded wake', () => {
    const verdict = judgeRun({ ...base, run: run({ state: 'parked', nextStep: 2, wakeAt: at(5 * HOUR) }) });
    expect(verdict).toEqual({ action: 'unpark', from: 2, times: new Map([[2, start + 5 * HOUR]]) });
  });

  it('passes over the steps decided while the run was parked, and closes it when none is left', () => {
    const parked = run({ state: 'parked', nextStep: 1, wakeAt: at(5 * HOUR) });
    const covered = { step: 'check-in', status: 'skipped' as const };
    expect(judgeRun({ ...base, run: parked, decisions: [covered] })).toEqual({
      action: 'unpark',
      from: 2,
      times: new Map(),
    });
    const both = [covered, { step: 'maintenance-1', status: 'skipped' as const }];
    expect(judgeRun({ ...base, run: parked, decisions: both })).toEqual({
      action: 'done',
      reason: 'all-steps-decided',
    });
  });

  it('pushes a live run whose execution still runs, and closes a run of a cancelled order', () => {
    expect(judgeRun({ ...base, run: run({}), execution: 'RUNNING' })).toEqual({
      action: 'push',
      dueAt: start + 2 * HOUR,
    });
    expect(judgeRun({ ...base, open: false, run: run({}), execution: 'ABORTED' })).toEqual({
      action: 'done',
      reason: 'order-closed',
    });
  });

  it('resumes an ended execution from the first step not decided, a postponed one not before its time', () => {
    const decisions = [
      { step: 'thanks', status: 'sent' as const },
      { step: 'check-in', status: 'postponed' as const, until: at(3 * HOUR) },
    ];
    expect(judgeRun({ ...base, decisions, run: run({}), execution: 'FAILED' })).toEqual({
      action: 'resume',
      from: 1,
      times: new Map([[1, start + 3 * HOUR]]),
      reason: 'execution-failed',
    });
    const allDecided = steps.map((step) => ({ step: step.key, status: 'skipped' as const }));
    expect(judgeRun({ ...base, decisions: allDecided, run: run({}), execution: 'missing' }).action).toBe('done');
  });

  it('never sends a claimed step again: a `sending` claim counts as decided', () => {
    expect(firstUndecided(steps, [{ step: 'thanks', status: 'sending' }])?.from).toBe(1);
  });
});
