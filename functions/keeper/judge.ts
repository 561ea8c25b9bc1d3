import type { PlannedStep } from '../shared/domain/step.ts';
import type { StepDecision } from '../shared/store/decisions.ts';
import type { RunRecord } from '../shared/store/runs.ts';

/** What the keeper found when it asked Step Functions about a live run's current execution. */
export type ExecutionStatus =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED'
  | 'PENDING_REDRIVE'
  | 'missing';

/** What the keeper does with one due run. */
export type KeeperAction =
  | { action: 'unpark'; from: number; times: Map<number, number> }
  | { action: 'resume'; from: number; times: Map<number, number>; reason: string }
  | { action: 'push'; dueAt: number }
  | { action: 'done'; reason: string };

/**
 * The first step of a plan not yet decided (no decision, or only postponed) and when it may wake: a postponed
 * step not before its `until`. A `sending` claim counts as decided: a crashed send is never sent again.
 */
export function firstUndecided(
  steps: readonly Pick<PlannedStep, 'key'>[],
  decisions: readonly Pick<StepDecision, 'step' | 'status' | 'until'>[],
): { from: number; times: Map<number, number> } | undefined {
  for (let index = 0; index < steps.length; index += 1) {
    const decision = decisions.find((each) => each.step === steps[index]?.key);
    if (decision && decision.status !== 'postponed') continue;
    const until = decision?.until ? Date.parse(decision.until) : undefined;
    return { from: index, times: new Map(until === undefined ? [] : [[index, until]]) };
  }
  return undefined;
}

/**
 * The keeper's decision for a due run, pure: a parked run wakes from its next step at its recorded time; a live
 * run whose execution still runs has its due time pushed; one whose execution ended without finishing (failed,
 * timed out, aborted, lost) is resumed from its first undecided step; a closed order or a finished plan is done.
 */
export function judgeRun(input: {
  run: RunRecord;
  open: boolean;
  steps: readonly Pick<PlannedStep, 'key'>[] | undefined;
  decisions: readonly Pick<StepDecision, 'step' | 'status' | 'until'>[];
  execution?: ExecutionStatus;
  now: number;
  graceMs: number;
}): KeeperAction {
  const { run, open, steps, decisions, execution, now, graceMs } = input;
  if (!open) return { action: 'done', reason: 'order-closed' };
  if (!steps) return { action: 'done', reason: 'plan-missing' };
  if (run.state === 'parked') {
    // Steps decided while the run was parked (covered by another order's email, say) are passed over, unwoken.
    const later = firstUndecided(steps.slice(run.nextStep), decisions);
    if (!later) return { action: 'done', reason: 'all-steps-decided' };
    const from = run.nextStep + later.from;
    const until = later.times.get(later.from);
    const wakeAt = from === run.nextStep && run.wakeAt ? Date.parse(run.wakeAt) : until;
    return { action: 'unpark', from, times: new Map(wakeAt === undefined ? [] : [[from, wakeAt]]) };
  }
  if (execution === 'RUNNING') return { action: 'push', dueAt: now + graceMs };
  const undecided = firstUndecided(steps, decisions);
  if (!undecided) return { action: 'done', reason: 'all-steps-decided' };
  return { action: 'resume', ...undecided, reason: `execution-${(execution ?? 'missing').toLowerCase()}` };
}
