import { customerSendTime } from './pacing.ts';
import { customerTimeZone, dueTime, type PlanContext } from './plan.ts';
import type { Purchase } from './purchase.ts';
import { nextSendWindow } from './schedule.ts';
import type { PlannedStep } from './step.ts';

/** A later step's new time; `claim`: a customer email moved later, so its new second is claimed in the wake slots. */
export interface Retimed {
  step: number;
  at: number;
  claim: boolean;
}

/**
 * New times of the steps after step `from` once it was postponed: each keeps its planned time, or follows a
 * delivery date that moved it later (it would otherwise be postponed in turn). Pure: the caller claims the seconds.
 */
export function retimeLaterSteps(
  steps: readonly PlannedStep[],
  from: number,
  purchase: Purchase,
  context: PlanContext,
): Retimed[] {
  const { config, store } = context;
  const timeZone = customerTimeZone(purchase, store);
  const retimed: Retimed[] = [];
  for (const [index, step] of steps.entries()) {
    if (index <= from) continue;
    const due = dueTime(step, purchase, context);
    const planned = Date.parse(step.at);
    if (step.to === 'customer' && step.category !== 'service') {
      const moved = customerSendTime(due, purchase, store, config);
      retimed.push(
        moved > planned ? { step: index, at: moved, claim: true } : { step: index, at: planned, claim: false },
      );
    } else {
      const moved = nextSendWindow(due, timeZone, config.sending.quietHours);
      retimed.push({ step: index, at: Math.max(planned, moved), claim: false });
    }
  }
  return retimed;
}
