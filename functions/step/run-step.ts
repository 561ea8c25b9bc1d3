import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../shared/clients.ts';
import { now as clockNow } from '../shared/clock.ts';
import { getConfig, getStore } from '../shared/config/load.ts';
import { deadlineOf } from '../shared/domain/deadlines.ts';
import { customerSendTime, staggered } from '../shared/domain/pacing.ts';
import { customerTimeZone, dueTime } from '../shared/domain/plan.ts';
import type { PurchaseRecord } from '../shared/domain/purchase-record.ts';
import { type Admission, coverMs, PRIORITY, stepKind } from '../shared/domain/queue.ts';
import { retimeLaterSteps } from '../shared/domain/retime.ts';
import type { Run, StepInput } from '../shared/domain/run.ts';
import { HOUR } from '../shared/domain/schedule.ts';
import { isOffer, type PlannedStep } from '../shared/domain/step.ts';
import { logger } from '../shared/logger.ts';
import { sendEmail } from '../shared/mailer.ts';
import { count } from '../shared/metrics.ts';
import { continueRun, heartbeat, parkRun } from '../shared/sequences.ts';
import { admitToCap, type CustomerProfile } from '../shared/store/customers.ts';
import { recordDecision, type StepDecision } from '../shared/store/decisions.ts';
import { keys } from '../shared/store/keys.ts';
import { getPurchase } from '../shared/store/purchases.ts';
import type { SurveyAnswer } from '../shared/store/surveys.ts';
import { fromItem, getItems, tableName, toItem } from '../shared/store/table.ts';
import { claimWakeSecond } from '../shared/store/wake-slots.ts';
import { composeEmail } from './compose.ts';
import { type Decision, decide, staleDetail } from './decide.ts';
import { sendOnce, verificationRetry } from './send-once.ts';
import { tableSendStore } from './send-store.ts';

/** The run (`state`) and the wake, as domain/run.ts parses them. */
export type { StepInput } from '../shared/domain/run.ts';

/** What a wake did: the step's decision, that the run parked, or that a newer generation of the run took over. */
export interface StepResult {
  step: string;
  outcome: StepDecision['status'] | 'parked' | 'superseded';
}

/**
 * One wake of a sequence run, when its Wait ends. Idempotent per purchase × sequence × step: a retried or
 * duplicated invocation never sends twice. A postponed step continues, with the rest of the plan, in a new
 * execution that waits until the new time; the rest of this execution's wakes then find themselves superseded.
 */
export async function runStep(input: StepInput): Promise<StepResult> {
  const result = await wakeOnce(input);
  // The run item hears from every wake that still owns the run: the keeper then leaves it alone.
  if (result.outcome !== 'superseded' && result.outcome !== 'postponed' && result.outcome !== 'parked')
    await heartbeat(input.state, input.wake, clockNow());
  return result;
}

async function wakeOnce(input: StepInput): Promise<StepResult> {
  const { state: run, wake } = input;
  const now = clockNow();
  const step = run.steps[wake.step];
  if (!step) throw new Error(`wake for step ${wake.step} of a plan with ${run.steps.length} steps`);
  if (wake.hop) {
    // A wake beyond the park horizon: no execution waits for it; the run keeper starts the next generation.
    if (superseded(run, await getPurchase(run.storeId, run.orderId))) return { step: step.key, outcome: 'superseded' };
    const parked = await parkRun(run, wake, now);
    return { step: step.key, outcome: parked ? 'parked' : 'superseded' };
  }

  const { previous, record, survey } = await wakeFacts(run, step);
  if (previous && previous.status !== 'postponed') return { step: step.key, outcome: previous.status };
  if (superseded(run, record)) return { step: step.key, outcome: 'superseded' };
  const outcome = await attempt(run, step, { record, previous, survey }, now);
  if (outcome.action === 'postpone') {
    await continueRun(
      run,
      wake.step,
      now,
      await postponedTimes(run, record, wake.step, outcome.until, now),
      'postponed',
    );
    return { step: step.key, outcome: 'postponed' };
  }
  return { step: step.key, outcome: outcome.action === 'send' ? 'sent' : 'skipped' };
}

/**
 * What a wake reads of its purchase, in one round trip: the step's earlier decision, the purchase record and, for
 * the survey, the customer's answer.
 */
async function wakeFacts(run: Run, step: PlannedStep) {
  const found = await getItems({
    previous: keys.step(run.storeId, run.orderId, run.sequence, step.key),
    record: keys.purchase(run.storeId, run.orderId),
    survey: run.sequence === 'satisfaction-survey' ? keys.survey(run.storeId, run.orderId) : undefined,
  });
  return {
    previous: found.previous as StepDecision | undefined,
    record: found.record as PurchaseRecord | undefined,
    survey: found.survey as SurveyAnswer | undefined,
  };
}

async function attempt(
  run: Run,
  step: PlannedStep,
  read: { record: PurchaseRecord | undefined; previous: StepDecision | undefined; survey: SurveyAnswer | undefined },
  now: number,
): Promise<Decision> {
  const { record, previous, survey } = read;
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
  const { profile, suppressed, alreadyBought } = await customerFacts(run, step, record);
  const dueAt = record?.purchase ? dueTime(step, record.purchase, { config, store, now }) : now;
  const decision = decide({ step, record, profile, suppressed, survey, alreadyBought, dueAt, now, config, store });

  if (decision.action === 'skip') return skip(previous, base, decision, at);
  // Service mail (an answer to the customer's own action) neither waits for nor uses the frequency cap, and is
  // never delayed by the wake-slot counter either.
  const capped = step.to === 'customer' && step.category !== 'service';
  if (decision.action === 'postpone') return postpone(previous, base, decision, at, capped);

  const purchase = record?.purchase;
  const customerKey = record?.customerKey;
  if (!purchase || !customerKey) throw new Error('unreachable: send decided without a purchase');
  const timeZone = customerTimeZone(purchase, store);
  const sendKey = keys.sendKey(run.storeId, run.orderId, run.sequence, step.key);
  const previousSlot = { lastSentAt: profile?.lastSentAt, lastSentOf: profile?.lastSentOf };
  if (capped) {
    const kind = stepKind(step);
    const deadline = deadlineOf(step, dueAt);
    const admission = await admitToCap(run.storeId, customerKey, {
      email: { sendKey, orderId: run.orderId, priority: PRIORITY[step.category], dueAt, deadline: deadline.at },
      ...(kind ? { kind } : {}),
      now,
      capMs: config.sending.frequencyCapHours * HOUR,
      coverMs: kind ? coverMs(kind, config) : 0,
      place: (time) => customerSendTime(time, purchase, store, config),
    });
    const wakeAt = (slot: number) => staggered(slot, PRIORITY[step.category], timeZone, config.sending.quietHours);
    if (admission.action !== 'send') return queued(previous, base, admission, deadline, wakeAt, at);
  }

  return sendOnce({
    facts: base,
    previous,
    at,
    store: tableSendStore({ facts: base, customerKey, capSlot: capped ? previousSlot : undefined }),
    mailer: { send: sendEmail },
    compose: () => composeEmail({ run, step, purchase, customerKey, store, survey, dueAt, now }),
    retryVerification: (claim) => verificationRetry(claim, now, timeZone, config.sending.quietHours),
    now: clockNow,
  });
}

/**
 * What the decision reads about the customer besides the purchase: cap state and suppression (one round trip), and
 * for an offer whether they bought it since.
 */
async function customerFacts(run: Run, step: PlannedStep, record: PurchaseRecord | undefined) {
  const email = record?.purchase?.customer.email;
  const [found, alreadyBought] = await Promise.all([
    getItems({
      profile: record?.customerKey ? keys.customer(run.storeId, record.customerKey) : undefined,
      suppressed: email ? keys.suppressed(email) : undefined,
    }),
    isOffer(step) && record ? boughtSince(record, step.data.offerSku) : false,
  ]);
  return {
    profile: found.profile as CustomerProfile | undefined,
    suppressed: found.suppressed !== undefined,
    alreadyBought,
  };
}

type DecisionBase = Omit<StepDecision, 'status' | 'history' | 'at'>;

/** A customer email's new time claims a second in the wake-slot counter: postponed wakes never pile up either. */
async function postpone(
  previous: StepDecision | undefined,
  base: DecisionBase,
  decision: Extract<Decision, { action: 'postpone' }>,
  at: string,
  claims = true,
): Promise<Decision> {
  const claimed = claims
    ? await claimWakeSecond(decision.until, getConfig().sending.maxWakesPerSecond)
    : decision.until;
  const until = new Date(claimed).toISOString();
  const detail = decision.detail ? { detail: decision.detail } : {};
  await recordDecision(previous, { ...base, status: 'postponed', reason: decision.reason, until, at, ...detail });
  logger.info('step postponed', { ...base, reason: decision.reason, until });
  count('EmailsPostponed', { sequence: base.sequence });
  return { ...decision, until: claimed };
}

async function skip(
  previous: StepDecision | undefined,
  base: DecisionBase,
  decision: Extract<Decision, { action: 'skip' }>,
  at: string,
): Promise<Decision> {
  const detail = decision.detail ? { detail: decision.detail } : {};
  await recordDecision(previous, { ...base, status: 'skipped', reason: decision.reason, at, ...detail });
  logger.info('step skipped', { ...base, reason: decision.reason });
  count('EmailsSkipped', { sequence: base.sequence });
  return decision;
}

/** What the cap's queue said, as a decision with its reason for the why trail. */
function queued(
  previous: StepDecision | undefined,
  base: DecisionBase,
  admission: Exclude<Admission, { action: 'send' }>,
  deadline: { at: number; why: string },
  wakeAt: (slot: number) => number,
  at: string,
): Promise<Decision> {
  if (admission.action === 'wait') {
    const until = wakeAt(admission.slot);
    const detail = `slot ${new Date(admission.slot).toISOString()}, ${admission.ahead} of this customer's emails before it`;
    return postpone(previous, base, { action: 'postpone', until, reason: 'frequency-cap', detail }, at);
  }
  if (admission.action === 'stale') {
    const detail = `${staleDetail(deadline)}; the frequency cap had no slot for it before then`;
    return skip(previous, base, { action: 'skip', reason: 'stale', detail }, at);
  }
  const detail =
    'by' in admission
      ? `one ${admission.kind} per customer per period: order ${admission.by.orderId}'s went out at ${new Date(admission.by.at).toISOString()}`
      : `one ${admission.kind} per customer per period: order ${admission.queued.orderId}'s is queued for ${new Date(admission.queued.slot).toISOString()}`;
  return skip(previous, base, { action: 'skip', reason: 'covered', detail }, at);
}

/** A newer generation of this run (started when a step was postponed) owns the rest of the plan. */
function superseded(run: Run, record: PurchaseRecord | undefined): boolean {
  return (record?.runGenerations?.[run.name] ?? 0) > run.generation;
}

/** New times after step `from` was postponed until `until` (retimeLaterSteps); a moved time claims its second. */
async function postponedTimes(
  run: Run,
  record: PurchaseRecord | undefined,
  from: number,
  until: number,
  now: number,
): Promise<Map<number, number>> {
  const times = new Map<number, number>([[from, until]]);
  const purchase = record?.purchase;
  const store = getStore(run.storeId);
  if (!purchase || !store) return times;
  const config = getConfig();
  for (const later of retimeLaterSteps(run.steps, from, purchase, { config, store, now }))
    times.set(later.step, later.claim ? await claimWakeSecond(later.at, config.sending.maxWakesPerSecond) : later.at);
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
