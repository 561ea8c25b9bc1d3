import { DAY } from './schedule.ts';
import type { Category, PlannedStep } from './step.ts';

/**
 * The frequency cap as a queue: a customer's capped emails wait in their profile, each with a definite slot.
 * Pure: the store module reads the profile, calls `admit`, and writes the next state conditionally on its version.
 */

/** Lower goes first. Service mail never enters the queue (it bypasses the cap). */
export const PRIORITY: Record<Category, number> = { service: 0, surveys: 1, tips: 2, warranty: 3, offers: 4 };

export interface PendingEmail {
  /** `<store>#<order>#<sequence>#<step>`: one entry per planned email. */
  sendKey: string;
  orderId: string;
  priority: number;
  /** When it wanted to go out, and the last moment it may (epoch ms). */
  dueAt: number;
  deadline: number;
  /** Its once-per-customer kind, if any: a second email of that kind for another order is covered by this one. */
  kind?: string;
}

/** The last email of one kind this customer got, for "one per customer per period". */
export interface KindSent {
  at: number;
  orderId: string;
}

export interface CapState {
  lastSentAt?: number;
  lastSentKey?: string;
  lastSentOf?: Record<string, KindSent>;
  pending?: PendingEmail[];
}

export type Slot = { slot: number } | { stale: true };

/**
 * Slots for every pending email, greedily: at each free moment (the cap after the previous slot, moved into the
 * window by `place`) the highest-priority email already due takes it, ties by due time; one whose slot would fall
 * after its deadline gets none (stale) and takes no slot.
 */
export function assignSlots(
  pending: readonly PendingEmail[],
  options: { now: number; capMs: number; lastSentAt?: number; place: (at: number) => number },
): Map<string, Slot> {
  const slots = new Map<string, Slot>();
  const waiting = [...pending].sort((a, b) => a.priority - b.priority || a.dueAt - b.dueAt);
  let free = Math.max(options.now, options.lastSentAt === undefined ? options.now : options.lastSentAt + options.capMs);
  while (waiting.length > 0) {
    const earliestDue = Math.min(...waiting.map((email) => email.dueAt));
    const at = options.place(Math.max(free, earliestDue));
    const index = waiting.findIndex((email) => email.dueAt <= at);
    const email = waiting.splice(index === -1 ? 0 : index, 1)[0] as PendingEmail;
    if (at > email.deadline) {
      slots.set(email.sendKey, { stale: true });
      continue;
    }
    slots.set(email.sendKey, { slot: at });
    free = at + options.capMs;
  }
  return slots;
}

/** Which "once per customer per period" kind a step is, if any (a maintenance reminder or warranty is per product). */
export function stepKind(step: PlannedStep): string | undefined {
  if (step.to !== 'customer' || step.category === 'service') return undefined;
  switch (step.template) {
    case 'follow-up/thanks':
      return 'thanks';
    case 'follow-up/check-in':
      return 'check-in';
    case 'satisfaction-survey/ask':
    case 'satisfaction-survey/reminder':
      return 'survey';
    case 'upgrade-offer/offer':
      // One offer per customer per period and offered SKU (the step's key is offer-<sku>).
      return step.key;
    default:
      return undefined;
  }
}

/** How long one email of `kind` covers the customer's other orders (`sending.oncePerCustomer`). */
export function coverMs(
  kind: string,
  config: { sending: { oncePerCustomer: Record<'thanksDays' | 'checkInDays' | 'surveyDays' | 'offerDays', number> } },
): number {
  const once = config.sending.oncePerCustomer;
  if (kind === 'thanks') return once.thanksDays * DAY;
  if (kind === 'check-in') return once.checkInDays * DAY;
  if (kind === 'survey') return once.surveyDays * DAY;
  return once.offerDays * DAY;
}

export type Admission =
  | { action: 'send' }
  | { action: 'wait'; slot: number; ahead: number }
  | { action: 'stale'; deadline: number }
  | { action: 'covered'; by: KindSent; kind: string }
  | { action: 'covered'; queued: { orderId: string; slot: number }; kind: string };

export interface AdmitRequest {
  email: PendingEmail;
  kind?: string;
  now: number;
  capMs: number;
  coverMs: number;
  place: (at: number) => number;
}

/** Kept per customer: older entries are dropped first (an email dropped here asks again when it wakes). */
export const MAX_PENDING = 50;

/** One capped email asks to go out now: send, wait for its slot, or skip (stale, covered). Returns the next state. */
export function admit(state: CapState, request: AdmitRequest): { admission: Admission; next: CapState } {
  const { email, kind, now } = request;
  // A retry of the send that already took the slot gets it back.
  if (state.lastSentKey === email.sendKey) return { admission: { action: 'send' }, next: state };
  const others = (state.pending ?? []).filter((entry) => entry.sendKey !== email.sendKey && entry.deadline >= now);
  const covering = kind ? state.lastSentOf?.[kind] : undefined;
  if (kind && covering && covering.orderId !== email.orderId && now - covering.at < request.coverMs) {
    return { admission: { action: 'covered', by: covering, kind }, next: { ...state, pending: others } };
  }
  const assign = (emails: PendingEmail[]) =>
    assignSlots(emails, {
      now,
      capMs: request.capMs,
      place: request.place,
      ...(state.lastSentAt === undefined ? {} : { lastSentAt: state.lastSentAt }),
    });
  // Another order's email of the same kind already holds a slot: that one is the customer's, this one would repeat it.
  const twin = kind ? others.find((entry) => entry.kind === kind && entry.orderId !== email.orderId) : undefined;
  const twinSlot = twin ? assign(others).get(twin.sendKey) : undefined;
  if (kind && twin && twinSlot && 'slot' in twinSlot) {
    const queued = { orderId: twin.orderId, slot: twinSlot.slot };
    return { admission: { action: 'covered', queued, kind }, next: { ...state, pending: others } };
  }
  const pending = [...others, { ...email, ...(kind ? { kind } : {}) }].slice(-MAX_PENDING);
  const slots = assign(pending);
  const own = slots.get(email.sendKey) ?? { stale: true };
  if ('stale' in own)
    return { admission: { action: 'stale', deadline: email.deadline }, next: { ...state, pending: others } };
  if (own.slot <= now) {
    return {
      admission: { action: 'send' },
      next: {
        lastSentAt: now,
        lastSentKey: email.sendKey,
        lastSentOf: { ...state.lastSentOf, ...(kind ? { [kind]: { at: now, orderId: email.orderId } } : {}) },
        pending: others,
      },
    };
  }
  const ahead = [...slots.values()].filter((slot) => 'slot' in slot && slot.slot < own.slot).length;
  return { admission: { action: 'wait', slot: own.slot, ahead }, next: { ...state, pending } };
}
