import type { CATEGORIES } from './vocabulary.ts';

/** Unsubscribe categories' type; `service` mail (answers to the customer, alerts to the store) has none of its own. */
export type Category = (typeof CATEGORIES)[number] | 'service';

/**
 * A step's deadline: after it the email is skipped as `stale`, never sent late. Planned with the step (it travels
 * in the plan), relative to the due time so a delivery date that moves the step moves its deadline too.
 */
export interface Deadline {
  /** How long after its due time the step may still go out. */
  afterDueMs: number;
  /** A fixed last moment too (an offer code's expiry), ISO. */
  notAfter?: string;
  /** Which deadline this is, in words for the why trail. */
  why: string;
}

export interface PlannedStep {
  /** Unique within the sequence: thanks, check-in, maintenance-1, ask, reminder, warranty-<months>m, offer-<sku>… */
  key: string;
  /** `<sequence>/<template>`: which email this step sends. */
  template: string;
  category: Category;
  /** Who receives it: the customer, or the store's support address. */
  to: 'customer' | 'store';
  /** Counted from delivery (re-planned when the real delivery date arrives) or from the purchase. */
  anchor: 'delivery' | 'purchase' | 'none';
  offsetMs: number;
  /** Planned send time (anchor estimate + offset, moved into the sending window). */
  at: string;
  /** Line items this step is about: when all of them are refunded the step is skipped. */
  lineIds: string[];
  data?: Record<string, string | number | boolean>;
  /** Already past its time (beyond the grace period) when the purchase arrived: skipped, never sent late. */
  late?: boolean;
  /** After this it is skipped as stale (plans made before deadlines existed have none: `STALE_AFTER`). */
  deadline?: Deadline;
}
