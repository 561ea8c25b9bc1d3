import { randomUUID } from 'node:crypto';
import { nextSendWindow, type QuietHours } from '../shared/domain/schedule.ts';
import { errorFacts, logger } from '../shared/logger.ts';
import { IdentityNotVerifiedError, PermanentSendError, SendOutcomeUnknownError } from '../shared/mailer.ts';
import { count } from '../shared/metrics.ts';
import type { StepDecision } from '../shared/store/decisions.ts';
import { isConditionFailure } from '../shared/store/table.ts';
import type { Decision } from './decide.ts';

/**
 * The send-once protocol of one step's email (one `keys.sendKey`): claim → send → record → release.
 *
 * Guarantee: the email reaches SES at most once — an attempt first claims the step's trail item (`sending`, with its
 * own attempt id) by a conditional write, and a claim it finds left by another attempt (crashed, or still running) is
 * never sent again but closed as `send-outcome-unknown`. It goes out exactly once unless SES accepted it and every
 * attempt to record it (`untilRecorded`) failed: the trail then says `sending` for good, and the run keeper's judge
 * (`firstUndecided`) counts that as decided and moves the run on without a second send. What the send holds besides
 * the claim — the customer's frequency-cap slot, and a pool's discount code claimed under the same send key — is
 * given back (the slot) or kept for the retry of the same send (the code) only when SES answered with an error, so
 * nothing was sent; an answer that never came keeps everything, because at most once beats a duplicate.
 */

type Trail = Omit<StepDecision, 'history'>;
/** The decision's fixed part: which step of which purchase (no personal data: it is also what is logged). */
export type SendFacts = Omit<StepDecision, 'status' | 'history' | 'at'>;

/** The store as the protocol needs it, bound to one send: its trail item, its message record, what it holds. */
export interface SendStore {
  /** The step's trail item as stored now. */
  read(): Promise<StepDecision | undefined>;
  /**
   * Writes `next` over `previous` (the history keeps every entry): the trail item as written, or undefined when the
   * condition did not hold.
   */
  write(
    previous: StepDecision | undefined,
    next: Trail,
    condition?: { expectStatus?: StepDecision['status'] | 'absent'; expectAttempt?: string },
  ): Promise<StepDecision | undefined>;
  /** Where the SES events of an accepted message find their step. */
  recordMessage(messageId: string): Promise<void>;
  /** Gives back what the send held (the frequency-cap slot) once it is sure nothing was sent. */
  release(): Promise<void>;
}

/** The mailer as the protocol needs it: SES's message id, or one of the mailer's classified errors. */
export interface SendMailer<Email> {
  send(email: Email): Promise<string>;
}

/** The offer's code pool is empty and the store sends no offer without its code: the step is skipped. */
export class DiscountCodesExhaustedError extends Error {
  override name = 'DiscountCodesExhaustedError';
}

export interface SendOnceInput<Email> {
  facts: SendFacts;
  /** The trail item the step was decided from (undefined: first decision, else a postponed one). */
  previous: StepDecision | undefined;
  /** When this wake decided (ISO). */
  at: string;
  store: SendStore;
  mailer: SendMailer<Email>;
  /** Builds the email once the claim is held (it may claim a discount code under the same send key). */
  compose: () => Promise<Email>;
  /** When to try again after SES refused an unverified identity, from the claim's history; undefined: give up. */
  retryVerification: (claim: StepDecision | undefined) => number | undefined;
  /** The time the email was accepted, for the `sent` entry. */
  now: () => number;
}

/** Sends one step's email at most once and records what became of it; the answer is the step's decision. */
export async function sendOnce<Email>(input: SendOnceInput<Email>): Promise<Decision> {
  const { facts, previous, at, store } = input;
  const attemptId = randomUUID();
  // The claim as written is what the next write builds on: no read between the claim and SES, so no failure there
  // can leave a claim that nothing was sent under.
  const claim = await untilRecorded(() =>
    store.write(
      previous,
      { ...facts, status: 'sending', at, attemptId },
      { expectStatus: previous ? 'postponed' : 'absent' },
    ),
  );
  if (!claim) return closeForeignClaim(input);
  let messageId: string;
  try {
    messageId = await input.mailer.send(await input.compose());
  } catch (error) {
    return release(input, { claim, attemptId }, error);
  }
  // SES accepted the email. From here a failure must never lead to a second send: the claim stays, and a retry of
  // this step finds it and moves on.
  const sentAt = new Date(input.now()).toISOString();
  await untilRecorded(() => store.write(claim, { ...facts, status: 'sent', messageId, at: sentAt }));
  await untilRecorded(() => store.recordMessage(messageId));
  logger.info('email sent', { ...facts, messageId });
  count('EmailsSent', { sequence: facts.sequence });
  return { action: 'send' };
}

/** Another attempt holds or finished the step: a claim left `sending` is closed, never sent again. */
async function closeForeignClaim({ facts, at, store }: SendOnceInput<unknown>): Promise<Decision> {
  const current = await store.read();
  if (current?.status === 'sending') {
    await untilRecorded(() =>
      store.write(
        current,
        { ...facts, status: 'skipped', reason: 'send-outcome-unknown', at },
        { expectStatus: 'sending' },
      ),
    );
  }
  return { action: 'skip', reason: 'already-handled' };
}

interface Claim {
  claim: StepDecision | undefined;
  attemptId: string;
}

/** What the claim becomes when composing or sending failed, and whether what the send held is given back. */
async function release(input: SendOnceInput<unknown>, held: Claim, error: unknown): Promise<Decision> {
  if (error instanceof SendOutcomeUnknownError) return outcomeUnknown(input, held, error);
  // Composing failed or SES answered with an error: nothing was sent, so the claim and the cap slot are given back.
  await untilRecorded(() => input.store.release());
  if (error instanceof IdentityNotVerifiedError) {
    const retry = input.retryVerification(held.claim);
    if (retry !== undefined) return awaitVerification(input, held, error, retry);
  }
  if (error instanceof DiscountCodesExhaustedError) return codesExhausted(input, held);
  if (error instanceof PermanentSendError || error instanceof IdentityNotVerifiedError)
    return rejected(input, held, error);
  const { facts, at, store } = input;
  await untilRecorded(() =>
    store.write(
      held.claim,
      { ...facts, status: 'postponed', reason: 'send-retry', until: at, at },
      { expectAttempt: held.attemptId },
    ),
  );
  throw error;
}

/** SES may have accepted it: the claim and the cap slot stay, because at most once beats a duplicate. */
async function outcomeUnknown({ facts, at, store }: SendOnceInput<unknown>, held: Claim, error: Error) {
  await untilRecorded(() =>
    store.write(
      held.claim,
      { ...facts, status: 'skipped', reason: 'send-outcome-unknown', at },
      { expectAttempt: held.attemptId },
    ),
  );
  logger.warn('send outcome unknown: not sent again', { ...facts, error: error.message });
  count('EmailsSkipped', { sequence: facts.sequence });
  return { action: 'skip', reason: 'send-outcome-unknown' } satisfies Decision;
}

/** The sender or (sandbox) recipient is still being verified: the step waits and tries again. */
async function awaitVerification(input: SendOnceInput<unknown>, held: Claim, error: Error, retry: number) {
  const { facts, at, store } = input;
  const until = new Date(retry).toISOString();
  await untilRecorded(() =>
    store.write(
      held.claim,
      { ...facts, status: 'postponed', reason: 'identity-not-verified', until, at },
      { expectAttempt: held.attemptId },
    ),
  );
  logger.warn('identity not verified in SES: postponed', { ...facts, until, error: error.message });
  count('EmailsPostponed', { sequence: facts.sequence });
  return { action: 'postpone', until: retry, reason: 'identity-not-verified' } satisfies Decision;
}

/** The offer's code pool is empty and the store sends no offer without its code: skipped, said in the why trail. */
async function codesExhausted({ facts, at, store }: SendOnceInput<unknown>, held: Claim) {
  await untilRecorded(() =>
    store.write(held.claim, { ...facts, status: 'skipped', reason: 'discount-codes-exhausted', at }),
  );
  logger.warn('offer skipped: discount code pool empty', facts);
  count('EmailsSkipped', { sequence: facts.sequence });
  return { action: 'skip', reason: 'discount-codes-exhausted' } satisfies Decision;
}

/** SES refused the message for good (or the identity was never verified): recorded as failed, not retried. */
async function rejected({ facts, at, store }: SendOnceInput<unknown>, held: Claim, error: Error) {
  await untilRecorded(() => store.write(held.claim, { ...facts, status: 'failed', reason: 'send-rejected', at }));
  logger.warn('send rejected by SES', { ...facts, ...errorFacts(error) });
  count('EmailsRejected', { sequence: facts.sequence });
  return { action: 'skip', reason: 'send-rejected' } satisfies Decision;
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

/**
 * Every write that opens or closes a claim must land, or the trail says `sending` for good — after a send SES
 * accepted, and after one it refused (then the email is lost, not just unrecorded: found by bench:chaos). A
 * throttling burst can outlast the SDK's own attempts, so these writes get a few more, with jittered backoff
 * (≤ ~6 s in all); a failed condition is an answer, not a fault, and is never retried.
 */
export async function untilRecorded<T>(write: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts || isConditionFailure(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2_000, 100 * 2 ** attempt)));
    }
  }
}
