import * as z from 'zod';
import type { StoreConfig } from '../../functions/shared/config/schema.ts';
import { emailHash } from '../../functions/shared/domain/customer-key.ts';
import { customerTimeZone } from '../../functions/shared/domain/plan.ts';
import { SEQUENCES } from '../../functions/shared/domain/vocabulary.ts';
import type { StepDecision } from '../../functions/shared/store/decisions.ts';
import type { RunRecord } from '../../functions/shared/store/runs.ts';
import { defineCommand, storeId, TARGET_HELP, targetOptions, targetSchema } from '../command.ts';
import {
  mapLimit,
  type PurchaseTrail,
  purchasesOfCustomer,
  purchaseTrail,
  type UnappliedEvent,
  unappliedEvents,
} from '../data.ts';
import { explain, localTime, table } from '../format.ts';
import { requireStore, useTarget } from '../target.ts';

const schema = z
  .strictObject({
    store: storeId,
    order: z.string().min(1).max(200).optional(),
    email: z.email({ message: 'expected an email address' }).optional(),
    ...targetSchema,
  })
  .refine((args) => (args.order === undefined) !== (args.email === undefined), {
    message: 'give exactly one of --order and --email',
  });

export const why = defineCommand({
  name: 'why',
  summary: 'every planned email of a customer: sent (message id), skipped (why) or postponed (until when)',
  help: `Usage: aftercare why --store <id> (--order <order id> | --email <address>)

Lists each planned step of the order (or of every order of that customer) with its time in the customer's zone,
and what happened: sent with the SES message id, skipped with the reason, postponed until when, or still planned.
Only that customer's purchases are read (by order key or by the hash of the address).

${TARGET_HELP}`,
  options: { store: { type: 'string' }, order: { type: 'string' }, email: { type: 'string' }, ...targetOptions },
  schema,
  async run(args, io) {
    useTarget(args);
    const store = requireStore(args.store);
    const trails = args.order
      ? [await purchaseTrail(store.id, args.order)]
      : await mapLimit(
          await purchasesOfCustomer(store.id, emailHash(args.email ?? '')),
          8,
          async (purchase) => await purchaseTrail(store.id, purchase.orderId),
        );
    const found = trails.filter((trail) => trail !== undefined);
    const unapplied = args.order ? await unappliedEvents(store.id, args.order) : [];
    if (unapplied.length > 0) io.out(`${describeUnapplied(unapplied)}\n\n`);
    if (found.length === 0 && unapplied.length > 0) return 1;
    if (found.length === 0) {
      io.err(`No purchase ${args.order ? `with order id ${args.order}` : 'for that address'} in store ${store.id}.\n`);
      return 1;
    }
    io.out(found.map((trail) => describeTrail(trail, store)).join('\n\n'));
    return 0;
  },
});

/** Webhook events the apply function kept failing on: they stay in the table, and their stream records were parked. */
export function describeUnapplied(events: UnappliedEvent[]): string {
  const lines = events.map(
    (event) =>
      `  ${event.SK.slice('EVENT#'.length)} (${event.topic}): ${event.applyError}, ${event.applyFailures} attempts, last ${event.applyFailedAt}; stream sequence number ${event.applySequenceNumber}`,
  );
  return [
    `${events.length} webhook event(s) of this order could not be applied (see the apply on-failure queue):`,
    ...lines,
  ].join('\n');
}

/** One purchase: a header line, then one row per planned step and per answer follow-up, in time order. */
export function describeTrail(trail: PurchaseTrail, store: StoreConfig): string {
  const { record, survey } = trail;
  const purchase = record.purchase;
  const zone = purchase ? customerTimeZone(purchase, store) : store.timeZone;
  const title = purchase
    ? `Order ${purchase.orderNumber ?? record.orderId} (id ${record.orderId}) · bought ${localTime(purchase.purchasedAt, zone)} · ${record.status}`
    : `Order ${record.orderId} · ${record.status} (no customer data kept)`;
  const rows = trailRows(trail, zone);
  const answer = survey
    ? `\nSurvey answer: ${survey.score} (${survey.kind}) on ${localTime(survey.answeredAt, zone)}${survey.changes.length ? `, changed ${survey.changes.length}×` : ''}`
    : '';
  const body = rows.length
    ? table(
        ['SEQUENCE', 'STEP', `PLANNED (${zone})`, 'STATUS', 'DETAIL'],
        rows.map((row) => row.cells),
      )
    : 'No emails planned (no address, not open, or nothing configured for these products).';
  return `${title}\n${body}${answer}${describeRuns(trail.runs ?? [], zone)}`;
}

type TrailRow = { at: string; cells: string[] };

/** One row per planned step (with its decision, or pending), then per decision of no planned step, in time order. */
function trailRows({ record, decisions }: PurchaseTrail, zone: string): TrailRow[] {
  const planned = SEQUENCES.flatMap((sequence) =>
    (record.sequences?.[sequence]?.steps ?? []).map((step) => {
      const decision = decisions.find((d) => d.sequence === sequence && d.step === step.key);
      const [status, detail] = decision ? outcome(decision, zone) : pending(step.late === true, record.status);
      return {
        key: `${sequence}#${step.key}`,
        at: step.at,
        cells: [sequence, step.key, localTime(step.at, zone), status, detail],
      };
    }),
  );
  const seen = new Set(planned.map((row) => row.key));
  const unplanned = decisions
    .filter((d) => !seen.has(`${d.sequence}#${d.step}`))
    .map((decision) => {
      const at = decision.plannedAt ?? decision.at;
      const [status, detail] = outcome(decision, zone);
      return { at, cells: [decision.sequence, decision.step, localTime(at, zone), status, detail] };
    });
  const rows: TrailRow[] = [...planned.map(({ at, cells }) => ({ at, cells })), ...unplanned];
  return rows.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

const RUN_EVENTS: Record<string, string> = {
  parked: 'parked (no execution waits)',
  unparked: 'unparked by the run keeper',
  resumed: 'resumed by the run keeper',
  done: 'done',
};

/** The runs' waits and what the run keeper did: parked until when, unparked, resumed after a failed execution. */
function describeRuns(runs: RunRecord[], zone: string): string {
  const lines = runs.flatMap((run) => {
    const events = run.history
      .filter((entry) => entry.event !== 'started' || entry.reason)
      .map(
        (entry) =>
          `  ${run.sequence} generation ${entry.generation}: ${RUN_EVENTS[entry.event] ?? entry.event}${entry.reason ? `: ${explain(entry.reason)}` : ''} · ${localTime(entry.at, zone)}`,
      );
    const now =
      run.state === 'parked' && run.dueAt
        ? `  ${run.sequence}: parked, resumes ${localTime(run.dueAt, zone)}`
        : run.state === 'live'
          ? `  ${run.sequence}: waiting in generation ${run.generation}`
          : `  ${run.sequence}: done`;
    return [...events, now];
  });
  return lines.length ? `\nRuns:\n${lines.join('\n')}` : '';
}

/** "postponed 2× (quiet-hours, frequency-cap)" from a decision's history, or ''. */
function postponements(decision: StepDecision): string {
  const earlier = decision.history.filter((entry) => entry.status === 'postponed');
  if (earlier.length === 0 || decision.status === 'postponed') return '';
  return ` · postponed ${earlier.length}× before (${[...new Set(earlier.map((entry) => entry.reason))].join(', ')})`;
}

function outcome(decision: StepDecision, zone: string): [string, string] {
  const when = localTime(decision.at, zone);
  switch (decision.status) {
    case 'sent':
      return ['sent', `${when} · message ${decision.messageId ?? '?'}${postponements(decision)}`];
    case 'postponed':
      return [
        'postponed',
        `until ${decision.until ? localTime(decision.until, zone) : '?'} · ${explain(decision.reason)}${particulars(decision)}`,
      ];
    case 'sending':
      return ['sending', `claimed ${when}`];
    default:
      return [decision.status, `${when} · ${explain(decision.reason)}${particulars(decision)}`];
  }
}

/** " — past its deadline …" when the decision carries particulars. */
function particulars(decision: StepDecision): string {
  return decision.detail ? ` — ${decision.detail}` : '';
}

function pending(late: boolean, status: string): [string, string] {
  if (late) return ['planned', `will be skipped: ${explain('too-late')}`];
  if (status !== 'open') return ['planned', `will be skipped: the order is ${status}`];
  return ['planned', ''];
}
