import { emailHash } from './customer-key.ts';
import type { Purchase, SourceEvent } from './purchase.ts';
import type { Run } from './run.ts';
import type { SequenceName } from './vocabulary.ts';

export type PurchaseStatus = 'open' | 'cancelled' | 'refunded' | 'redacted';

/** The purchase as Aftercare knows it: the latest payload plus what later events said. */
export interface PurchaseRecord {
  storeId: string;
  orderId: string;
  /** Absent on a stub (an event arrived before its order) and after a redact request. */
  purchase?: Purchase;
  status: PurchaseStatus;
  refundedLineIds: string[];
  deliveredAt?: string;
  /** occurredAt of the newest order payload applied: older retries never roll it back. */
  lastEventAt?: string;
  customerKey?: string;
  /** The plans the sequences were started with (each run keeps its plan). */
  sequences?: Partial<Record<SequenceName, Run>>;
  /** Per run (execution base name): the generation that took over after a postponement; older ones stand down. */
  runGenerations?: Record<string, number>;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const RANK: Record<PurchaseStatus, number> = { open: 0, refunded: 1, cancelled: 1, redacted: 2 };

/** Status only moves forward: open → cancelled/refunded → redacted. */
export function laterStatus(current: PurchaseStatus, incoming: PurchaseStatus): PurchaseStatus {
  return RANK[incoming] > RANK[current] ? incoming : current;
}

export function newRecord(storeId: string, orderId: string, now: string): PurchaseRecord {
  return { storeId, orderId, status: 'open', refundedLineIds: [], version: 0, createdAt: now, updatedAt: now };
}

export function customerKeyOf(purchase: Purchase): string | undefined {
  return purchase.customer.email ? emailHash(purchase.customer.email) : undefined;
}

/** The source events that change a purchase (privacy requests and ignored topics are handled beside the fold). */
export type PurchaseEvent = Extract<SourceEvent, { kind: 'purchase' | 'delivered' | 'cancelled' | 'refunded' }>;

/** One event as the fold sees it: whose purchase, when the platform says it happened, what it says. */
export interface PurchaseFact {
  storeId: string;
  occurredAt: string;
  event: PurchaseEvent;
}

/**
 * What the adapter does after writing the folded state: start the purchase's sequences (idempotent, so a retried
 * event restarts whatever a crash left unstarted), stop them all, or drop the stored event (a redacted order's retry).
 */
export type PurchaseEffect = 'start-sequences' | 'stop-sequences' | 'discard-event';

/** `changed`: the state differs from what was read and must be written (`state` is undefined only when nothing is). */
export interface Folded {
  state: PurchaseRecord | undefined;
  changed: boolean;
  effects: PurchaseEffect[];
}

/**
 * Folds one event into a purchase record. Pure: the same record and event give the same result. Idempotent (a
 * duplicate event yields the same state), and a stale event never rolls newer state back; status only moves forward.
 */
export function foldPurchase(current: PurchaseRecord | undefined, fact: PurchaseFact, at: string): Folded {
  const base = current ?? newRecord(fact.storeId, orderIdOf(fact.event), at);
  // A retry of an order whose customer asked to be forgotten: its stored copy goes too.
  if (base.status === 'redacted') return { state: current, changed: false, effects: redactedEffects(fact.event) };
  const next = nextState(base, fact);
  const state = next ?? current;
  return { state, changed: next !== undefined, effects: state ? effectsOf(state, fact.event) : [] };
}

function orderIdOf(event: PurchaseEvent): string {
  return event.kind === 'purchase' ? event.purchase.orderId : event.orderId;
}

/** A redacted order stays a tombstone: its order's retries are dropped, and nothing of it ever runs again. */
function redactedEffects(event: PurchaseEvent): PurchaseEffect[] {
  if (event.kind === 'purchase') return ['discard-event'];
  return event.kind === 'delivered' ? [] : ['stop-sequences'];
}

/** The new record, or undefined when the event changes nothing. */
function nextState(base: PurchaseRecord, fact: PurchaseFact): PurchaseRecord | undefined {
  const event = fact.event;
  switch (event.kind) {
    case 'purchase':
      return withPayload(base, event.purchase, fact.occurredAt);
    case 'delivered':
      return withDelivery(base, event.deliveredAt);
    case 'cancelled':
      return base.status === 'cancelled' ? undefined : { ...base, status: laterStatus(base.status, 'cancelled') };
    case 'refunded':
      return withRefund(base, event.lineIds);
  }
}

function withPayload(base: PurchaseRecord, incoming: Purchase, occurredAt: string): PurchaseRecord | undefined {
  const refunded = union(base.refundedLineIds, incoming.refundedLineIds);
  const status = laterStatus(base.status, incoming.status);
  const isNewer = !base.lastEventAt || !base.purchase || occurredAt >= base.lastEventAt;
  if (!isNewer) {
    // A stale retry: only facts that move forward (cancelled, refunded lines) are kept from it.
    if (status === base.status && refunded.length === base.refundedLineIds.length) return undefined;
    return { ...base, status, refundedLineIds: refunded };
  }
  const deliveredAt = base.deliveredAt ?? incoming.deliveredAt;
  const customerKey = customerKeyOf(incoming) ?? base.customerKey;
  return {
    ...base,
    purchase: { ...incoming, ...(deliveredAt ? { deliveredAt } : {}) },
    status,
    refundedLineIds: refunded,
    lastEventAt: occurredAt,
    ...(deliveredAt ? { deliveredAt } : {}),
    ...(customerKey ? { customerKey } : {}),
  };
}

/** The first delivery date counts; a later "delivered" (re-shipment) does not restart sequences. */
function withDelivery(base: PurchaseRecord, deliveredAt: string): PurchaseRecord | undefined {
  if (base.deliveredAt && base.deliveredAt <= deliveredAt) return undefined;
  return {
    ...base,
    deliveredAt,
    ...(base.purchase ? { purchase: { ...base.purchase, deliveredAt } } : {}),
  };
}

/** Without line ids the whole order is refunded; with them, the order is once every line is. */
function withRefund(base: PurchaseRecord, lineIds: string[] | undefined): PurchaseRecord | undefined {
  if (!lineIds)
    return base.status === 'refunded' ? undefined : { ...base, status: laterStatus(base.status, 'refunded') };
  const refundedLineIds = union(base.refundedLineIds, lineIds);
  const allLines = base.purchase?.lineItems.map((line) => line.lineId) ?? [];
  const whole = allLines.length > 0 && allLines.every((id) => refundedLineIds.includes(id));
  return { ...base, refundedLineIds, status: whole ? laterStatus(base.status, 'refunded') : base.status };
}

/** An order payload (re)starts sequences while open; a cancellation or refund that closed the order stops them. */
function effectsOf(state: PurchaseRecord, event: PurchaseEvent): PurchaseEffect[] {
  if (event.kind === 'purchase')
    return state.status === 'open' && state.purchase?.customer.email ? ['start-sequences'] : [];
  if (event.kind === 'cancelled' || event.kind === 'refunded') return state.status !== 'open' ? ['stop-sequences'] : [];
  return [];
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
