import type { AftercareConfig, StoreConfig } from '../shared/config/schema.ts';
import { deadlineOf } from '../shared/domain/deadlines.ts';
import { customerSendTime } from '../shared/domain/pacing.ts';
import { customerTimeZone } from '../shared/domain/plan.ts';
import type { Purchase } from '../shared/domain/purchase.ts';
import type { PurchaseRecord } from '../shared/domain/purchase-record.ts';
import { MINUTE, nextSendWindow } from '../shared/domain/schedule.ts';
import type { PlannedStep } from '../shared/domain/step.ts';
import { isSurveyQuestion } from '../shared/domain/step.ts';
import type { CustomerProfile } from '../shared/store/customers.ts';
import type { SurveyAnswer } from '../shared/store/surveys.ts';

export type Decision =
  | { action: 'send' }
  | { action: 'skip'; reason: string; detail?: string }
  | { action: 'postpone'; until: number; reason: string; detail?: string };

export interface Facts {
  step: PlannedStep;
  record: PurchaseRecord | undefined;
  profile: CustomerProfile | undefined;
  suppressed: boolean;
  survey: SurveyAnswer | undefined;
  alreadyBought: boolean;
  /** When the step is due now that the real delivery date may be known. */
  dueAt: number;
  now: number;
  config: AftercareConfig;
  store: StoreConfig;
}

export { STALE_AFTER } from '../shared/domain/deadlines.ts';

/**
 * Right before a send: is this step still wanted, and is now the time? Pure, so every reason is unit-tested.
 * The frequency cap is the one check that needs an atomic write; the caller does it after a `send` decision.
 */
export function decide(facts: Facts): Decision {
  const { record } = facts;
  if (!record?.purchase)
    return { action: 'skip', reason: record?.status === 'redacted' ? 'purchase-redacted' : 'purchase-unknown' };
  const known = { ...facts, record, purchase: record.purchase };
  return orderGone(known) ?? recipientRefuses(known) ?? noLongerWanted(known) ?? timing(known);
}

/** Facts once the purchase is known. */
type KnownFacts = Facts & { record: PurchaseRecord; purchase: Purchase };

/** The order, or every line the step is about, is no longer there to follow up. */
function orderGone({ record, step }: KnownFacts): Decision | undefined {
  if (record.status === 'redacted') return { action: 'skip', reason: 'purchase-redacted' };
  if (record.status === 'cancelled') return { action: 'skip', reason: 'order-cancelled' };
  if (record.status === 'refunded') return { action: 'skip', reason: 'order-refunded' };
  if (step.lineIds.length > 0 && step.lineIds.every((id) => record.refundedLineIds.includes(id))) {
    return { action: 'skip', reason: 'items-refunded' };
  }
  return undefined;
}

/** A customer email the customer cannot or does not want to get: no address, suppressed, unsubscribed, no consent. */
function recipientRefuses(facts: KnownFacts): Decision | undefined {
  const { step, purchase, profile } = facts;
  if (step.to !== 'customer') return undefined;
  if (!purchase.customer.email) return { action: 'skip', reason: 'no-email-address' };
  if (facts.suppressed) return { action: 'skip', reason: 'address-suppressed' };
  if (profile?.unsubscribedAll) return { action: 'skip', reason: 'unsubscribed' };
  if (step.category !== 'service' && profile?.unsubscribed?.includes(step.category)) {
    return { action: 'skip', reason: `unsubscribed-from-${step.category}` };
  }
  return consentDecision(facts);
}

/** The step's point has passed: the survey was answered, the offer bought, or its time is gone. */
function noLongerWanted(facts: KnownFacts): Decision | undefined {
  const { step } = facts;
  if (isSurveyQuestion(step) && facts.survey) return { action: 'skip', reason: 'survey-answered' };
  if (facts.alreadyBought) return { action: 'skip', reason: 'already-bought' };
  if (step.late) return { action: 'skip', reason: 'too-late' };
  const deadline = deadlineOf(step, facts.dueAt);
  if (facts.now <= deadline.at) return undefined;
  // Old plans (no deadline of their own) keep their reason; a planned deadline says which one passed.
  if (!deadline.planned) return { action: 'skip', reason: 'woke-too-late' };
  return { action: 'skip', reason: 'stale', detail: staleDetail(deadline) };
}

/** Send now, or wait for a delivery date still ahead or for the customer's sending hours. */
function timing({ step, purchase, store, config, dueAt, now }: KnownFacts): Decision {
  if (step.to === 'store') return { action: 'send' };
  const timeZone = customerTimeZone(purchase, store);
  const sendTime = (at: number) =>
    step.category === 'service'
      ? nextSendWindow(at, timeZone, config.sending.quietHours)
      : customerSendTime(at, purchase, store, config);
  if (dueAt > now + MINUTE) return { action: 'postpone', until: sendTime(dueAt), reason: 'follows-delivery-date' };
  const window = sendTime(now);
  if (window > now) return { action: 'postpone', until: window, reason: 'quiet-hours' };
  return { action: 'send' };
}

/**
 * A category the store sends only with recorded consent (`consentRequiredFor`, e.g. surveys for German customers):
 * a customer whose checkout gave no marketing consent is skipped, and the why trail says so.
 */
export function consentDecision(facts: Pick<Facts, 'step' | 'record' | 'store'>): Decision | undefined {
  const { step, record, store } = facts;
  if (step.to !== 'customer' || step.category === 'service') return undefined;
  if (!store.consentRequiredFor.includes(step.category)) return undefined;
  if (record?.purchase?.customer.marketingConsent) return undefined;
  return { action: 'skip', reason: `no-consent-for-${step.category}` };
}

/** The why trail's words for a passed deadline: which one, and when it was. */
export function staleDetail(deadline: { at: number; why: string }): string {
  return `past its deadline ${new Date(deadline.at).toISOString()}: ${deadline.why}`;
}
