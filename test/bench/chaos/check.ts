import type { InboxEmail } from '../../../local-cloud/ses.ts';
import type { Acknowledged } from './run.ts';

/** Steps still waiting this close to the end of the run are not "due" yet (quiet hours, delivery re-planning). */
const DUE_MARGIN_MS = 3 * 86_400_000;

interface Decision {
  PK: string;
  SK: string;
  status: string;
  reason?: string;
  until?: string;
  messageId?: string;
  history?: { status: string; at: string; reason?: string; until?: string }[];
}

interface PurchaseItem {
  PK: string;
  SK: 'PURCHASE';
  orderId: string;
  status: string;
  purchase?: { customer: { email?: string } };
  sequences?: Record<string, { steps: { key: string; at: string; to: string }[] } | undefined>;
}

/** One broken promise, precise enough to look up with `aftercare why`. */
export interface Violation {
  invariant: keyof Invariants;
  orderId: string;
  step: string;
  detail: string;
}

export interface Invariants {
  duplicateEmails: number;
  emailsAfterRefund: number;
  emailsAfterUnsubscribe: number;
  emailsAfterBounce: number;
  acknowledgedPurchasesLost: number;
  dueEmailsUnexplained: number;
}

export interface Verdict {
  invariants: Invariants;
  violations: Violation[];
  /** Due steps not sent, by the reason the product recorded (each one explained). */
  unsentByReason: Record<string, number>;
  sentSteps: number;
  dueSteps: number;
}

/**
 * Judges a run by the product's own records: the decisions and purchases in the table and the SES inbox, against
 * what Aftercare acknowledged (2xx) to the store and the customers. Pure: new skip reasons are only new keys.
 */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the invariant checker walks every email and decision once; each invariant is one branch
export function checkInvariants(input: {
  items: Record<string, unknown>[];
  inbox: InboxEmail[];
  acknowledged: Acknowledged;
  endsAt: number;
}): Verdict {
  const { acknowledged, endsAt } = input;
  const invariants: Invariants = {
    duplicateEmails: 0,
    emailsAfterRefund: 0,
    emailsAfterUnsubscribe: 0,
    emailsAfterBounce: 0,
    acknowledgedPurchasesLost: 0,
    dueEmailsUnexplained: 0,
  };
  const violations: Violation[] = [];
  const violate = (invariant: keyof Invariants, orderId: string, step: string, detail: string) => {
    invariants[invariant] += 1;
    violations.push({ invariant, orderId, step, detail });
  };
  const purchases = new Map<string, PurchaseItem>();
  const decisions = new Map<string, Decision>();
  for (const item of input.items) {
    const pk = String(item.PK);
    if (!pk.startsWith('PURCHASE#')) continue;
    const orderId = pk.split('#').slice(2).join('#');
    if (item.SK === 'PURCHASE') purchases.set(orderId, item as unknown as PurchaseItem);
    else if (String(item.SK).startsWith('STEP#'))
      decisions.set(`${orderId}|${String(item.SK).slice(5)}`, item as never);
  }
  const inboxIds = new Set(input.inbox.map((email) => email.messageId));

  // Same purchase × step twice: emails in the inbox beyond the sends the product recorded, per recipient × step
  // (a repeat customer's purchases share the address), and decisions whose history says sent twice.
  const inboxCount = new Map<string, number>();
  for (const email of input.inbox) {
    const headers = new Map((email.headers ?? []).map((h) => [h.name.toLowerCase(), h.value]));
    const key = `${email.destination.to.join(',')}|${headers.get('x-aftercare-sequence')}#${headers.get('x-aftercare-step')}`;
    inboxCount.set(key, (inboxCount.get(key) ?? 0) + 1);
  }
  const recordedCount = new Map<string, { count: number; orderId: string }>();
  for (const [id, decision] of decisions) {
    const [orderId = '', step = ''] = id.split('|');
    const sends = (decision.history ?? []).filter((h) => h.status === 'sent').length;
    if (sends > 1) violate('duplicateEmails', orderId, step, `history records ${sends} sends`);
    if (decision.status !== 'sent') continue;
    const to = purchases.get(orderId)?.purchase?.customer.email ?? '';
    const key = `${to}|${step}`;
    const entry = recordedCount.get(key) ?? { count: 0, orderId };
    entry.count += 1;
    recordedCount.set(key, entry);
  }
  for (const [key, count] of inboxCount) {
    const recorded = recordedCount.get(key);
    const extra = count - (recorded?.count ?? 0);
    const [, step = ''] = key.split('|');
    if (extra > 0 && recorded)
      violate('duplicateEmails', recorded.orderId, step, `${count} emails, ${recorded.count} recorded sends`);
    else if (extra > 0) violate('duplicateEmails', '?', step, `${count} emails to a recipient with no recorded send`);
  }

  // Nothing after a refund, an unsubscribe or a bounce acknowledged at an earlier virtual moment.
  for (const [id, decision] of decisions) {
    if (decision.status !== 'sent') continue;
    const [orderId = '', step = ''] = id.split('|');
    const sentAt = Date.parse((decision.history ?? []).find((h) => h.status === 'sent')?.at ?? '');
    const address = purchases.get(orderId)?.purchase?.customer.email ?? '';
    const refundedAt = acknowledged.refundedAt.get(orderId);
    if (refundedAt !== undefined && sentAt > refundedAt)
      violate('emailsAfterRefund', orderId, step, `sent ${new Date(sentAt).toISOString()} after the refund`);
    const toCustomer = !step.startsWith('satisfaction-survey#alert');
    const unsubscribedAt = acknowledged.unsubscribedAt.get(address);
    if (toCustomer && unsubscribedAt !== undefined && sentAt > unsubscribedAt)
      violate('emailsAfterUnsubscribe', orderId, step, `sent ${new Date(sentAt).toISOString()} after unsubscribing`);
    const bouncedAt = acknowledged.bouncedAt.get(address);
    if (toCustomer && bouncedAt !== undefined && sentAt > bouncedAt)
      violate('emailsAfterBounce', orderId, step, `sent ${new Date(sentAt).toISOString()} after the bounce`);
  }

  // A 2xx for order.created is a promise the purchase is kept.
  for (const orderId of acknowledged.orders.keys())
    if (!purchases.get(orderId)?.purchase)
      violate('acknowledgedPurchasesLost', orderId, '-', 'acknowledged, no purchase');

  // Every planned step that was due is sent, or carries the product's reason for not sending it.
  const unsentByReason: Record<string, number> = {};
  const explain = (reason: string) => {
    unsentByReason[reason] = (unsentByReason[reason] ?? 0) + 1;
  };
  let sentSteps = 0;
  let dueSteps = 0;
  for (const [orderId, record] of purchases) {
    for (const [sequence, plan] of Object.entries(record.sequences ?? {})) {
      for (const step of plan?.steps ?? []) {
        if (Date.parse(step.at) > endsAt - DUE_MARGIN_MS) continue;
        dueSteps += 1;
        const name = `${sequence}#${step.key}`;
        const decision = decisions.get(`${orderId}|${name}`);
        if (decision?.status === 'sent') {
          sentSteps += 1;
          if (!decision.messageId || !inboxIds.has(decision.messageId))
            violate('dueEmailsUnexplained', orderId, name, 'recorded sent, not in the SES inbox');
        } else if (decision?.status === 'skipped') explain(decision.reason ?? 'skipped without reason');
        else if (decision?.status === 'postponed' && Date.parse(decision.until ?? '') > endsAt - DUE_MARGIN_MS)
          explain(`postponed past the end (${decision.reason})`);
        // A refund or cancellation stops the runs: a step not yet decided, or waiting out a postponement, stays so.
        else if ((!decision || decision.status === 'postponed') && record.status !== 'open')
          explain(`run stopped: purchase ${record.status}${decision ? ' (was postponed)' : ''}`);
        else
          violate(
            'dueEmailsUnexplained',
            orderId,
            name,
            decision ? leftOver(decision) : `never decided, due ${step.at}`,
          );
      }
    }
  }
  return { invariants, violations, unsentByReason, sentSteps, dueSteps };
}

/** What a step left undone says about itself: its status and trail, for the report. */
function leftOver(decision: Decision): string {
  const trail = (decision.history ?? []).map(
    (h) => `${h.status}${h.reason ? ` ${h.reason}` : ''}${h.until ? ` until ${h.until}` : ''} at ${h.at}`,
  );
  return `left ${decision.status}${decision.until ? ` until ${decision.until}` : ''}; trail: ${trail.join(' → ')}`;
}
