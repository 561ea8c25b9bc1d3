import { DAY } from './schedule.ts';
import type { Category, Deadline, PlannedStep } from './step.ts';

/**
 * The bound for plans made before deadlines existed: quiet hours and the cap delay a step by hours or days; a wake
 * beyond these comes from a run restarted long after (a name reused after 90 days replays an old plan).
 */
export const STALE_AFTER: Record<Category, number> = {
  service: 3 * DAY,
  tips: 14 * DAY,
  surveys: 14 * DAY,
  warranty: 14 * DAY,
  offers: 30 * DAY,
};

/** A thanks or check-in more than this late is worse than none. */
export const GREETING_GRACE_DAYS = 3;
/** A care reminder (descale, filters) still helps two weeks late. */
export const CARE_GRACE_DAYS = 14;
/** Offers without an expiring code. */
export const OFFER_GRACE_DAYS = 30;

export function followUpDeadline(key: string): Deadline {
  if (key.startsWith('maintenance-')) {
    return { afterDueMs: CARE_GRACE_DAYS * DAY, why: `a care reminder is useful up to ${CARE_GRACE_DAYS} days late` };
  }
  return {
    afterDueMs: GREETING_GRACE_DAYS * DAY,
    why: `a ${key} more than ${GREETING_GRACE_DAYS} days late is worse than none`,
  };
}

/** The survey closes `closesAfterDays` after it is asked; the reminder must go before that. */
export function surveyDeadline(closesAfterDays: number, askedAfterDueDays: number): Deadline {
  return {
    afterDueMs: Math.max(0, closesAfterDays - askedAfterDueDays) * DAY,
    why: `the survey closes ${closesAfterDays} days after it is asked`,
  };
}

/** The reminder is planned `remindDaysBefore` the warranty ends: it must arrive before the end. */
export function warrantyDeadline(remindDaysBefore: number): Deadline {
  return { afterDueMs: remindDaysBefore * DAY, why: 'the warranty ends' };
}

export function offerDeadline(codeExpiresAt: string | undefined): Deadline {
  return {
    afterDueMs: OFFER_GRACE_DAYS * DAY,
    ...(codeExpiresAt ? { notAfter: codeExpiresAt } : {}),
    why: codeExpiresAt
      ? `the discount code expires at ${codeExpiresAt} (or ${OFFER_GRACE_DAYS} days after the offer was due)`
      : `an offer is stale ${OFFER_GRACE_DAYS} days after it was due`,
  };
}

/** The last moment a step due at `dueAt` may go out, and why; old plans without a deadline use `STALE_AFTER`. */
export function deadlineOf(
  step: Pick<PlannedStep, 'deadline' | 'category'>,
  dueAt: number,
): { at: number; why: string; planned: boolean } {
  if (!step.deadline)
    return { at: dueAt + STALE_AFTER[step.category], why: 'woke long past its due time', planned: false };
  const relative = dueAt + step.deadline.afterDueMs;
  const fixed = step.deadline.notAfter ? Date.parse(step.deadline.notAfter) : Number.POSITIVE_INFINITY;
  return { at: Math.min(relative, fixed), why: step.deadline.why, planned: true };
}
