import type { Purchase } from './purchase.ts';
import { HOUR, isInSendWindow, isValidTimeZone, nextSendWindow, type QuietHours } from './schedule.ts';

/** Spreading sends over the sending window: pure, so the offsets and placements are unit-tested. */

/** 32-bit FNV-1a: stable across runs and machines, which is all a spread offset needs. */
export function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A customer's stable offset into the spread span, in whole seconds: the same address always gets the same one. */
export function spreadOffsetMs(seed: string, spreadMinutes: number): number {
  if (spreadMinutes <= 0) return 0;
  return (hash32(seed) % (spreadMinutes * 60)) * 1000;
}

/**
 * The send time of something due at `due`: unchanged inside the window; moved into the next window at the
 * customer's offset after it opens (wrapped so it stays inside a window shorter than the span).
 */
export function spreadIntoWindow(due: number, timeZone: string, quiet: QuietHours, offsetMs: number): number {
  const opens = nextSendWindow(due, timeZone, quiet);
  if (opens === due) return due;
  return opens + (offsetMs % ((quiet.end - quiet.start) * HOUR));
}

/** The seed of a purchase's customer: their address as the planner and the step function both see it. */
export function spreadSeed(purchase: Pick<Purchase, 'customer'>): string {
  return (purchase.customer.email ?? '').trim().toLowerCase();
}

/** Where customer mail of `purchase` due at `due` goes out: in the window, at the customer's spread offset. */
export function customerSendTime(
  due: number,
  purchase: Pick<Purchase, 'customer'>,
  store: { timeZone: string },
  config: { sending: { spreadMinutes: number; quietHours: QuietHours } },
): number {
  const offset = spreadOffsetMs(spreadSeed(purchase), config.sending.spreadMinutes);
  const timeZone = isValidTimeZone(purchase.customer.timeZone) ? purchase.customer.timeZone : store.timeZone;
  return spreadIntoWindow(due, timeZone, config.sending.quietHours, offset);
}

/** The epoch second a wake time falls in: the wake-slot counter's key. */
export function wakeSecond(at: number): number {
  return Math.floor(at / 1000);
}

/** Between priority levels: one customer's emails planned for the same moment wake in priority order. */
export const PRIORITY_STAGGER_MS = 60_000;

/**
 * A planned or queued wake `priority` minutes later (service 0, surveys 1 … offers 4), so that when several of a
 * customer's emails meet the cap at once the most important asks first; never pushed out of the window.
 */
export function staggered(at: number, priority: number, timeZone: string, quiet: QuietHours): number {
  const later = at + priority * PRIORITY_STAGGER_MS;
  return isInSendWindow(later, timeZone, quiet) ? later : at;
}
