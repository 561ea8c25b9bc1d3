import type { SequenceRun } from '../shared/domain/plan.ts';
import { nextSendWindow, type QuietHours } from '../shared/domain/schedule.ts';
import { logger } from '../shared/logger.ts';
import { count } from '../shared/metrics.ts';
import { recordDecision, type StepDecision } from '../shared/store/decisions.ts';
import type { Decision } from './decide.ts';

/**
 * What a step does when SendEmail fails in a way that must not simply be retried: an answer that never came (the
 * email may be out: never sent again) and an identity SES has not verified yet (tried again later).
 */
export interface SendFailure {
  run: SequenceRun;
  base: Omit<StepDecision, 'status' | 'history' | 'at'>;
  claim: StepDecision | undefined;
  attemptId: string;
  at: string;
}

/** SES may have accepted it: the claim and the cap slot stay, because at most once beats a duplicate. */
export async function outcomeUnknown(
  { run, base, claim, attemptId, at }: SendFailure,
  error: Error,
): Promise<Decision> {
  await recordDecision(
    claim,
    { ...base, status: 'skipped', reason: 'send-outcome-unknown', at },
    { expectAttempt: attemptId },
  );
  logger.warn('send outcome unknown: not sent again', { ...base, error: error.message });
  count('EmailsSkipped', { sequence: run.sequence });
  return { action: 'skip', reason: 'send-outcome-unknown' };
}

/** The sender or (sandbox) recipient is still being verified: the step waits and tries again. */
export async function awaitVerification(failure: SendFailure, error: Error, retry: number): Promise<Decision> {
  const { run, base, claim, attemptId, at } = failure;
  const until = new Date(retry).toISOString();
  await recordDecision(
    claim,
    { ...base, status: 'postponed', reason: 'identity-not-verified', until, at },
    { expectAttempt: attemptId },
  );
  logger.warn('identity not verified in SES: postponed', { ...base, until, error: error.message });
  count('EmailsPostponed', { sequence: run.sequence });
  return { action: 'postpone', until: retry, reason: 'identity-not-verified' };
}

/** Tries while an identity is being verified: after 1, 2, 4, 8 and 16 hours, then daily — about six days in all. */
const VERIFICATION_TRIES = 10;

/** When to try again a send refused for an unverified identity, or undefined once the tries are spent. */
export function verificationRetry(
  claim: StepDecision | undefined,
  now: number,
  timeZone: string,
  quietHours: QuietHours,
): number | undefined {
  const tries = (claim?.history ?? []).filter((entry) => entry.reason === 'identity-not-verified').length;
  if (tries >= VERIFICATION_TRIES) return undefined;
  return nextSendWindow(now + Math.min(24, 2 ** tries) * 3_600_000, timeZone, quietHours);
}

/** The offer's code pool is empty and the store sends no offer without its code: skipped, said in the why trail. */
export async function codesExhausted({ run, base, claim, at }: SendFailure): Promise<Decision> {
  await recordDecision(claim, { ...base, status: 'skipped', reason: 'discount-codes-exhausted', at });
  logger.warn('offer skipped: discount code pool empty', base);
  count('EmailsSkipped', { sequence: run.sequence });
  return { action: 'skip', reason: 'discount-codes-exhausted' };
}
