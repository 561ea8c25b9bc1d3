import type { AftercareConfig, StoreConfig } from '../config/schema.ts';
import { followUpDeadline, offerDeadline, surveyDeadline, warrantyDeadline } from './deadlines.ts';
import { customerSendTime, staggered } from './pacing.ts';
import type { Purchase } from './purchase.ts';
import { PRIORITY } from './queue.ts';
import { rulesForItem, rulesForPurchase } from './rules.ts';
import type { Run, Wake } from './run.ts';
import { addMonths, DAY, HOUR, isValidTimeZone, nextSendWindow } from './schedule.ts';
import type { PlannedStep } from './step.ts';
import type { SequenceName } from './vocabulary.ts';

/** A Standard execution lasts at most 365 days: longer waits hop into a continuation 5 days before that. */
export const HOP_AFTER_MS = 360 * DAY;

export interface PlanContext {
  config: AftercareConfig;
  store: StoreConfig;
  now: number;
  /** When the purchase reached Aftercare (the webhook's receive time); lateness is judged against it. */
  arrivedAt?: number;
}

export function customerTimeZone(purchase: Purchase, store: StoreConfig): string {
  return isValidTimeZone(purchase.customer.timeZone) ? purchase.customer.timeZone : store.timeZone;
}

/** When the product reached (or, until a delivery event says so, is assumed to reach) the customer. */
export function deliveryTime(purchase: Purchase, config: AftercareConfig): number {
  if (purchase.deliveredAt) return Date.parse(purchase.deliveredAt);
  return Date.parse(purchase.purchasedAt) + config.sending.assumeDeliveryAfterDays * DAY;
}

export function anchorTime(
  step: Pick<PlannedStep, 'anchor'>,
  purchase: Purchase,
  config: AftercareConfig,
  now: number,
): number {
  if (step.anchor === 'delivery') return deliveryTime(purchase, config);
  if (step.anchor === 'purchase') return Date.parse(purchase.purchasedAt);
  return now;
}

/** A step before its time is placed (Omit per kind, so each keeps its own details). */
type StepDraft = PlannedStep extends infer Step ? (Step extends PlannedStep ? Omit<Step, 'at'> : never) : never;

function followUpSteps(purchase: Purchase, context: PlanContext): StepDraft[] {
  const rules = rulesForPurchase(context.config, context.store, purchase.lineItems).followUp;
  if (!rules.enabled) return [];
  const lineIds = purchase.lineItems.map((item) => item.lineId);
  const base = { category: 'tips' as const, to: 'customer' as const, anchor: rules.from, lineIds };
  const steps: StepDraft[] = [
    {
      ...base,
      key: 'thanks',
      template: 'follow-up/thanks',
      offsetMs: rules.thanksAfterDays * DAY,
      deadline: followUpDeadline('thanks'),
    },
    {
      ...base,
      key: 'check-in',
      template: 'follow-up/check-in',
      offsetMs: rules.checkInAfterDays * DAY,
      deadline: followUpDeadline('check-in'),
    },
  ];
  if (rules.maintenanceEveryDays) {
    for (let n = 1; n <= rules.maintenanceCount; n += 1) {
      steps.push({
        ...base,
        key: `maintenance-${n}`,
        template: 'follow-up/maintenance',
        offsetMs: n * rules.maintenanceEveryDays * DAY,
        data: { number: n },
        deadline: followUpDeadline(`maintenance-${n}`),
      });
    }
  }
  return steps;
}

function surveySteps(purchase: Purchase, context: PlanContext): StepDraft[] {
  const rules = rulesForPurchase(context.config, context.store, purchase.lineItems).survey;
  if (!rules.enabled) return [];
  const lineIds = purchase.lineItems.map((item) => item.lineId);
  const base = { category: 'surveys' as const, to: 'customer' as const, anchor: 'delivery' as const, lineIds };
  const closesAfterMs = (rules.afterDays + rules.closesAfterDays) * DAY;
  const data = { kind: rules.kind, closesAfterMs };
  return [
    {
      ...base,
      key: 'ask',
      template: 'satisfaction-survey/ask',
      offsetMs: rules.afterDays * DAY,
      data,
      deadline: surveyDeadline(rules.closesAfterDays, 0),
    },
    {
      ...base,
      key: 'reminder',
      template: 'satisfaction-survey/reminder',
      offsetMs: (rules.afterDays + rules.reminderAfterDays) * DAY,
      data,
      deadline: surveyDeadline(rules.closesAfterDays, rules.reminderAfterDays),
    },
  ];
}

function warrantySteps(purchase: Purchase, context: PlanContext): StepDraft[] {
  // One reminder per distinct warranty length: items with the same end date share an email.
  const byMonths = new Map<number, { lineIds: string[]; remindDaysBefore: number }>();
  for (const item of purchase.lineItems) {
    const rules = rulesForItem(context.config, context.store, item).warranty;
    if (!rules.enabled) continue;
    const group = byMonths.get(rules.months) ?? { lineIds: [], remindDaysBefore: rules.remindDaysBefore };
    group.lineIds.push(item.lineId);
    byMonths.set(rules.months, group);
  }
  return [...byMonths.entries()].map(([months, group]) => ({
    key: `warranty-${months}m`,
    template: 'warranty-reminder/reminder',
    category: 'warranty' as const,
    to: 'customer' as const,
    anchor: 'delivery' as const,
    // Months are calendar months: the offset is fixed here from the delivery estimate and re-derived at send time.
    offsetMs: -group.remindDaysBefore * DAY,
    lineIds: group.lineIds,
    data: { months },
    deadline: warrantyDeadline(group.remindDaysBefore),
  }));
}

type OfferRules = ReturnType<typeof rulesForItem>['offer'];

/** The offer's plan data: its optional parts only when configured, and a code pool before a fixed code. */
function offerData(rules: OfferRules, offerSku: string, offerTitle: string) {
  return {
    offerSku,
    offerTitle,
    ...(rules.offerUrl ? { offerUrl: rules.offerUrl } : {}),
    ...(rules.codePool ? { codePool: true } : rules.discountCode ? { discountCode: rules.discountCode } : {}),
    ...(rules.discountPercent ? { discountPercent: rules.discountPercent } : {}),
    ...(rules.codeExpiresAt ? { codeExpiresAt: rules.codeExpiresAt } : {}),
    // Flat keys: plan data holds only scalars.
    ...Object.fromEntries(
      Object.entries(rules.offerTitles ?? {}).map(([locale, title]) => [`offerTitle.${locale}`, title]),
    ),
    codeValidDays: rules.codeValidDays,
  };
}

/** One offer step per offered SKU, from the rules of the first line offering it, covering every line offering it. */
function offerSteps(purchase: Purchase, context: PlanContext): StepDraft[] {
  const offerOf = (item: Purchase['lineItems'][number]) => rulesForItem(context.config, context.store, item).offer;
  const seen = new Set<string>();
  const steps: StepDraft[] = [];
  for (const item of purchase.lineItems) {
    const rules = offerOf(item);
    if (!rules.enabled || !rules.offerSku || !rules.offerTitle || seen.has(rules.offerSku)) continue;
    seen.add(rules.offerSku);
    steps.push({
      key: `offer-${rules.offerSku}`,
      template: 'upgrade-offer/offer',
      category: 'offers',
      to: 'customer',
      anchor: 'delivery',
      offsetMs: rules.afterDays * DAY,
      lineIds: purchase.lineItems.filter((i) => offerOf(i).offerSku === rules.offerSku).map((i) => i.lineId),
      data: offerData(rules, rules.offerSku, rules.offerTitle),
      deadline: offerDeadline(rules.codeExpiresAt),
    });
  }
  return steps;
}

const drafts: Record<SequenceName, (purchase: Purchase, context: PlanContext) => StepDraft[]> = {
  'follow-up': followUpSteps,
  'satisfaction-survey': surveySteps,
  'warranty-reminder': warrantySteps,
  'upgrade-offer': offerSteps,
};

/** Planned due time of a step (before quiet hours): warranty steps count calendar months from delivery. */
export function dueTime(step: StepDraft, purchase: Purchase, context: PlanContext): number {
  const anchor = anchorTime(step, purchase, context.config, context.now);
  const months = step.template === 'warranty-reminder/reminder' ? step.data.months : 0;
  return (months ? addMonths(anchor, months) : anchor) + step.offsetMs;
}

/** Plans one sequence for a purchase; undefined when it has nothing to send. Pure: same inputs, same plan. */
export function planSequence(sequence: SequenceName, purchase: Purchase, context: PlanContext): Run | undefined {
  const timeZone = customerTimeZone(purchase, context.store);
  const lateBefore = (context.arrivedAt ?? context.now) - context.config.sending.lateGraceHours * HOUR;
  const steps = drafts[sequence](purchase, context)
    .map((draft) => {
      const due = dueTime(draft, purchase, context);
      // Customer mail is spread over the window per customer; a store's alert goes at the window's start.
      const quiet = context.config.sending.quietHours;
      const at =
        draft.to === 'customer' && draft.category !== 'service'
          ? staggered(
              customerSendTime(due, purchase, context.store, context.config),
              PRIORITY[draft.category],
              timeZone,
              quiet,
            )
          : nextSendWindow(due, timeZone, quiet);
      return {
        ...draft,
        at: new Date(at).toISOString(),
        ...(due < lateBefore ? { late: true } : {}),
      };
    })
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  if (steps.length === 0) return undefined;
  const name = executionName(purchase.storeId, purchase.orderId, sequence);
  return {
    version: 2,
    storeId: purchase.storeId,
    orderId: purchase.orderId,
    sequence,
    name,
    plannedAt: new Date(context.now).toISOString(),
    steps,
    wakes: wakesFrom(steps, 0, context.now),
    generation: 0,
  };
}

/**
 * The wakes of an execution started at `executionStart` that takes over at step `from`: each step at its time
 * (`times` overrides it, e.g. a postponement), never before the previous one nor before the start, up to what one
 * execution may wait; beyond that, one hop into a continuation.
 */
export function wakesFrom(
  steps: readonly Pick<PlannedStep, 'at'>[],
  from: number,
  executionStart: number,
  times: ReadonlyMap<number, number> = new Map(),
): Wake[] {
  const hopAt = executionStart + HOP_AFTER_MS;
  const wakes: Wake[] = [];
  let earliest = executionStart;
  for (let index = from; index < steps.length; index += 1) {
    const at = Math.max(times.get(index) ?? Date.parse(steps[index]?.at ?? ''), earliest);
    if (at > hopAt) {
      wakes.push({ step: index, at: new Date(hopAt).toISOString(), hop: true });
      break;
    }
    wakes.push({ step: index, at: new Date(at).toISOString() });
    earliest = at;
  }
  return wakes;
}

const SEQUENCE_CODES: Record<SequenceName, string> = {
  'follow-up': 'fu',
  'satisfaction-survey': 'ss',
  'warranty-reminder': 'wr',
  'upgrade-offer': 'uo',
};

/** Execution names are idempotency keys: one per store × order × sequence, ≤ 80 chars of [A-Za-z0-9-_]. */
export function executionName(storeId: string, orderId: string, sequence: SequenceName, suffix = ''): string {
  const readable = orderId.replace(/[^A-Za-z0-9_-]/g, '_').slice(-24);
  const digest = fnv1a(`${storeId}\u0000${orderId}`);
  return `${storeId.slice(0, 24)}-${readable}-${digest}-${SEQUENCE_CODES[sequence]}${suffix}`.slice(0, 80);
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36).padStart(7, '0');
}
