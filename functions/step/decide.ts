import type { AftercareConfig, StoreConfig } from '../shared/config/schema.ts';
import type { Category, PlannedStep } from '../shared/domain/plan.ts';
import { customerTimeZone } from '../shared/domain/plan.ts';
import { DAY, MINUTE, nextSendWindow } from '../shared/domain/schedule.ts';
import type { CustomerProfile } from '../shared/store/customers.ts';
import type { PurchaseRecord } from '../shared/store/purchases.ts';
import type { SurveyAnswer } from '../shared/store/surveys.ts';

export type Decision =
  | { action: 'send' }
  | { action: 'skip'; reason: string }
  | { action: 'postpone'; until: number; reason: string };

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

/**
 * How long after its due time a step may still go out, per kind. Quiet hours and the frequency cap delay a step
 * by hours or days; a wake beyond these bounds comes from a run restarted long after (an execution name reused
 * after 90 days replays an old plan) or a stalled one, and is skipped (`woke-too-late`), never sent months late.
 * Service mail answers something the customer or store just did; a warranty reminder must still precede the end
 * of the warranty (planned 30 days before it).
 */
export const STALE_AFTER: Record<Category, number> = {
  service: 3 * DAY,
  tips: 14 * DAY,
  surveys: 14 * DAY,
  warranty: 14 * DAY,
  offers: 30 * DAY,
};

/**
 * Right before a send: is this step still wanted, and is now the time? Pure, so every reason is unit-tested.
 * The frequency cap is the one check that needs an atomic write; the caller does it after a `send` decision.
 */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: predates the rule; left whole so the branches editing it merge cleanly (issue 16)
export function decide(facts: Facts): Decision {
  const { step, record, now, config } = facts;
  if (!record?.purchase)
    return { action: 'skip', reason: record?.status === 'redacted' ? 'purchase-redacted' : 'purchase-unknown' };
  if (record.status === 'redacted') return { action: 'skip', reason: 'purchase-redacted' };
  if (record.status === 'cancelled') return { action: 'skip', reason: 'order-cancelled' };
  if (record.status === 'refunded') return { action: 'skip', reason: 'order-refunded' };
  if (step.lineIds.length > 0 && step.lineIds.every((id) => record.refundedLineIds.includes(id))) {
    return { action: 'skip', reason: 'items-refunded' };
  }
  if (step.to === 'customer') {
    if (!record.purchase.customer.email) return { action: 'skip', reason: 'no-email-address' };
    if (facts.suppressed) return { action: 'skip', reason: 'address-suppressed' };
    if (facts.profile?.unsubscribedAll) return { action: 'skip', reason: 'unsubscribed' };
    if (step.category !== 'service' && facts.profile?.unsubscribed?.includes(step.category)) {
      return { action: 'skip', reason: `unsubscribed-from-${step.category}` };
    }
    const consent = consentDecision(facts);
    if (consent) return consent;
  }
  if ((step.key === 'ask' || step.key === 'reminder') && facts.survey)
    return { action: 'skip', reason: 'survey-answered' };
  if (facts.alreadyBought) return { action: 'skip', reason: 'already-bought' };
  if (step.late) return { action: 'skip', reason: 'too-late' };
  if (now - facts.dueAt > STALE_AFTER[step.category]) return { action: 'skip', reason: 'woke-too-late' };
  if (step.to === 'store') return { action: 'send' };
  const timeZone = customerTimeZone(record.purchase, facts.store);
  if (facts.dueAt > now + MINUTE) {
    return {
      action: 'postpone',
      until: nextSendWindow(facts.dueAt, timeZone, config.sending.quietHours),
      reason: 'follows-delivery-date',
    };
  }
  const window = nextSendWindow(now, timeZone, config.sending.quietHours);
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
