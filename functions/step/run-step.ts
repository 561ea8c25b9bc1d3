import { randomUUID } from 'node:crypto';
import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../shared/clients.ts';
import { now as clockNow } from '../shared/clock.ts';
import { getConfig, getStore } from '../shared/config/load.ts';
import {
  customerTimeZone,
  dueTime,
  type PlannedStep,
  type SequenceRun,
  type Wake,
  wakesFrom,
} from '../shared/domain/plan.ts';
import { nextSendWindow } from '../shared/domain/schedule.ts';
import { errorFacts, logger } from '../shared/logger.ts';
import { IdentityNotVerifiedError, PermanentSendError, SendOutcomeUnknownError, sendEmail } from '../shared/mailer.ts';
import { count } from '../shared/metrics.ts';
import { startRun } from '../shared/sequences.ts';
import { getProfile, isSuppressed, releaseSendSlot, reserveSendSlot } from '../shared/store/customers.ts';
import { getDecision, recordDecision, type StepDecision } from '../shared/store/decisions.ts';
import { keys } from '../shared/store/keys.ts';
import { getPurchase, type PurchaseRecord, updatePurchase } from '../shared/store/purchases.ts';
import { getSurveyAnswer } from '../shared/store/surveys.ts';
import { fromItem, tableName, toItem } from '../shared/store/table.ts';
import { composeEmail, DiscountCodesExhaustedError } from './compose.ts';
import { type Decision, decide } from './decide.ts';
import { awaitVerification, codesExhausted, outcomeUnknown, verificationRetry } from './send-failures.ts';

export interface StepInput {
  state: SequenceRun;
  wake: Wake;
}

/** What a wake did: the step's decision, or that a continuation or a newer generation of the run took over. */
export interface StepResult {
  step: string;
  outcome: StepDecision['status'] | 'continued' | 'superseded';
}

/**
 * One wake of a sequence run, when its Wait ends. Idempotent per purchase × sequence × step: a retried or
 * duplicated invocation never sends twice. A postponed step continues, with the rest of the plan, in a new
 * execution that waits until the new time; the rest of this execution's wakes then find themselves superseded.
 */
export async function runStep(input: StepInput): Promise<StepResult> {
  const { state: run, wake } = input;
  const now = clockNow();
  const step = run.steps[wake.step];
  if (!step) throw new Error(`wake for step ${wake.step} of a plan with ${run.steps.length} steps`);
  if (wake.hop) {
    if (superseded(run, await getPurchase(run.storeId, run.orderId))) return { step: step.key, outcome: 'superseded' };
    await continueRun(run, wake.step, now, new Map(), 'long-wait');
    return { step: step.key, outcome: 'continued' };
  }

  const previous = await getDecision(run.storeId, run.orderId, run.sequence, step.key);
  if (previous && previous.status !== 'postponed') return { step: step.key, outcome: previous.status };
  const record = await getPurchase(run.storeId, run.orderId);
  if (superseded(run, record)) return { step: step.key, outcome: 'superseded' };
  const outcome = await attempt(run, step, record, previous, now);
  if (outcome.action === 'postpone') {
    await continueRun(run, wake.step, now, postponedTimes(run, record, wake.step, outcome.until, now), 'postponed');
    return { step: step.key, outcome: 'postponed' };
  }
  return { step: step.key, outcome: outcome.action === 'send' ? 'sent' : 'skipped' };
}

// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: predates the rule; left whole so the branches editing it merge cleanly (issue 16)
async function attempt(
  run: SequenceRun,
  step: PlannedStep,
  record: PurchaseRecord | undefined,
  previous: StepDecision | undefined,
  now: number,
): Promise<Decision> {
  const config = getConfig();
  const store = getStore(run.storeId);
  const base = {
    storeId: run.storeId,
    orderId: run.orderId,
    sequence: run.sequence,
    step: step.key,
    template: step.template,
    plannedAt: step.at,
  };
  const at = new Date(now).toISOString();
  if (!store) {
    await recordDecision(previous, { ...base, status: 'skipped', reason: 'store-not-configured', at });
    return { action: 'skip', reason: 'store-not-configured' };
  }
  const email = record?.purchase?.customer.email;
  const [profile, suppressed, survey, alreadyBought] = await Promise.all([
    record?.customerKey ? getProfile(run.storeId, record.customerKey) : undefined,
    email ? isSuppressed(email) : false,
    run.sequence === 'satisfaction-survey' ? getSurveyAnswer(run.storeId, run.orderId) : undefined,
    typeof step.data?.offerSku === 'string' && record ? boughtSince(record, step.data.offerSku) : false,
  ]);
  const dueAt = record?.purchase ? dueTime(step, record.purchase, { config, store, now }) : now;
  const decision = decide({ step, record, profile, suppressed, survey, alreadyBought, dueAt, now, config, store });

  if (decision.action === 'skip') {
    await recordDecision(previous, { ...base, status: 'skipped', reason: decision.reason, at });
    logger.info('step skipped', { ...base, reason: decision.reason });
    count('EmailsSkipped', { sequence: run.sequence });
    return decision;
  }
  if (decision.action === 'postpone') return postpone(previous, base, decision, at);

  const purchase = record?.purchase;
  const customerKey = record?.customerKey;
  if (!purchase || !customerKey) throw new Error('unreachable: send decided without a purchase');
  const sendKey = `${run.storeId}#${run.orderId}#${run.sequence}#${step.key}`;
  let previousSlot: number | undefined;
  // Service mail (an answer to the customer's own action) neither waits for nor uses the frequency cap.
  const capped = step.to === 'customer' && step.category !== 'service';
  if (capped) {
    previousSlot = profile?.lastSentAt;
    const slot = await reserveSendSlot(
      run.storeId,
      customerKey,
      sendKey,
      now,
      config.sending.frequencyCapHours * 3_600_000,
    );
    if (!slot.reserved) {
      const timeZone = purchase.customer.timeZone ?? store.timeZone;
      const until = nextSendWindow(slot.freeAt, timeZone, config.sending.quietHours);
      return postpone(previous, base, { action: 'postpone', until, reason: 'frequency-cap' }, at);
    }
  }

  // Claim the send: only one attempt may reach SES. A claim left by a crashed attempt is never sent again.
  const attemptId = randomUUID();
  const claimed = await recordDecision(
    previous,
    { ...base, status: 'sending', at, attemptId },
    { expectStatus: previous ? 'postponed' : 'absent' },
  );
  if (!claimed) {
    const current = await getDecision(run.storeId, run.orderId, run.sequence, step.key);
    if (current?.status === 'sending') {
      await recordDecision(
        current,
        { ...base, status: 'skipped', reason: 'send-outcome-unknown', at },
        { expectStatus: 'sending' },
      );
    }
    return { action: 'skip', reason: 'already-handled' };
  }
  const claim = await getDecision(run.storeId, run.orderId, run.sequence, step.key);
  let messageId: string;
  try {
    const outgoing = await composeEmail({ run, step, purchase, customerKey, store, survey, dueAt, now });
    messageId = await sendEmail(outgoing);
  } catch (error) {
    const failure = { run, base, claim, attemptId, at };
    if (error instanceof SendOutcomeUnknownError) return outcomeUnknown(failure, error);
    // Composing failed or SES answered with an error: nothing was sent, so the claim and the cap slot are given back.
    if (capped) await releaseSendSlot(run.storeId, customerKey, sendKey, previousSlot);
    if (error instanceof IdentityNotVerifiedError) {
      const retry = verificationRetry(claim, now, customerTimeZone(purchase, store), config.sending.quietHours);
      if (retry !== undefined) return awaitVerification(failure, error, retry);
    }
    if (error instanceof DiscountCodesExhaustedError) return codesExhausted(failure);
    if (error instanceof PermanentSendError || error instanceof IdentityNotVerifiedError) {
      await recordDecision(claim, { ...base, status: 'failed', reason: 'send-rejected', at });
      logger.warn('send rejected by SES', { ...base, ...errorFacts(error) });
      count('EmailsRejected', { sequence: run.sequence });
      return { action: 'skip', reason: 'send-rejected' };
    }
    await recordDecision(
      claim,
      { ...base, status: 'postponed', reason: 'send-retry', until: at, at },
      { expectAttempt: attemptId },
    );
    throw error;
  }
  // SES accepted the email. From here a failure must never lead to a second send: the claim stays, and a retry of
  // this step finds it and moves on.
  await recordDecision(claim, { ...base, status: 'sent', messageId, at: new Date(clockNow()).toISOString() });
  await recordMessage(messageId, run, step, customerKey);
  logger.info('email sent', { ...base, messageId });
  count('EmailsSent', { sequence: run.sequence });
  return { action: 'send' };
}

async function postpone(
  previous: StepDecision | undefined,
  base: Omit<StepDecision, 'status' | 'history' | 'at'>,
  decision: Extract<Decision, { action: 'postpone' }>,
  at: string,
): Promise<Decision> {
  const until = new Date(decision.until).toISOString();
  await recordDecision(previous, { ...base, status: 'postponed', reason: decision.reason, until, at });
  logger.info('step postponed', { ...base, reason: decision.reason, until });
  count('EmailsPostponed', { sequence: base.sequence });
  return decision;
}

/** A newer generation of this run (started when a step was postponed) owns the rest of the plan. */
function superseded(run: SequenceRun, record: PurchaseRecord | undefined): boolean {
  return (record?.runGenerations?.[run.name] ?? 0) > run.generation;
}

/**
 * Starts the next generation of a run at step `from`: at the horizon of a long wait, or when a step was postponed,
 * and marks it on the purchase. After a postponement the new generation owns the rest of the plan, so this
 * execution's remaining wakes stand down; a cancellation stops every generation. Started before it is marked: a
 * failure in between is retried by the workflow and never loses the step.
 */
async function continueRun(
  run: SequenceRun,
  from: number,
  now: number,
  times: ReadonlyMap<number, number>,
  reason: 'long-wait' | 'postponed',
): Promise<void> {
  const generation = run.generation + 1;
  await startRun({ ...run, generation, wakes: wakesFrom(run.steps, from, now, times) });
  await updatePurchase(run.storeId, run.orderId, new Date(now).toISOString(), (current) =>
    current && (current.runGenerations?.[run.name] ?? 0) < generation
      ? { ...current, runGenerations: { ...current.runGenerations, [run.name]: generation } }
      : undefined,
  );
  logger.info('sequence continued in a new execution', {
    storeId: run.storeId,
    orderId: run.orderId,
    sequence: run.sequence,
    generation,
    reason,
  });
}

/**
 * New times after step `from` was postponed until `until`: the later steps keep their planned times, or follow a
 * delivery date that moved them later (each would otherwise be postponed in turn).
 */
function postponedTimes(
  run: SequenceRun,
  record: PurchaseRecord | undefined,
  from: number,
  until: number,
  now: number,
): Map<number, number> {
  const times = new Map<number, number>([[from, until]]);
  const purchase = record?.purchase;
  const store = getStore(run.storeId);
  if (!purchase || !store) return times;
  const config = getConfig();
  const timeZone = customerTimeZone(purchase, store);
  run.steps.forEach((step, index) => {
    if (index <= from) return;
    const due = dueTime(step, purchase, { config, store, now });
    times.set(index, Math.max(Date.parse(step.at), nextSendWindow(due, timeZone, config.sending.quietHours)));
  });
  return times;
}

/** Did this customer buy the offered SKU after this purchase? (their purchases, through GSI1) */
async function boughtSince(record: PurchaseRecord, sku: string): Promise<boolean> {
  if (!record.customerKey || !record.purchase) return false;
  const result = await dynamoClient().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :customer AND GSI1SK > :since',
      ExpressionAttributeValues: toItem({
        ':customer': keys.customerIndex(record.storeId, record.customerKey),
        ':since': record.purchase.purchasedAt,
      }),
    }),
  );
  return (result.Items ?? []).some((item) => {
    const other = fromItem<PurchaseRecord>(item);
    return (
      other?.orderId !== record.orderId &&
      other?.status === 'open' &&
      (other.purchase?.lineItems ?? []).some((line) => line.sku === sku)
    );
  });
}

async function recordMessage(
  messageId: string,
  run: SequenceRun,
  step: PlannedStep,
  customerKey: string,
): Promise<void> {
  await dynamoClient().send(
    new PutItemCommand({
      TableName: tableName(),
      Item: toItem({
        ...keys.message(messageId),
        messageId,
        storeId: run.storeId,
        orderId: run.orderId,
        sequence: run.sequence,
        step: step.key,
        customerKey,
        state: 'sent',
        expiresAt: Math.floor(clockNow() / 1000) + 400 * 86_400,
      }),
    }),
  );
}
