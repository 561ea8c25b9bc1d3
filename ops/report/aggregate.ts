import type { PurchaseRecord } from '../../functions/shared/domain/purchase-record.ts';
import { isOffer } from '../../functions/shared/domain/step.ts';
import { answerGroup } from '../../functions/shared/domain/survey.ts';
import { SEQUENCES, type SequenceName } from '../../functions/shared/domain/vocabulary.ts';
import type { SurveyAnswer } from '../../functions/shared/store/surveys.ts';
import type { MessageRecord, PurchaseTrail } from '../data.ts';

/** What the report is computed from: the period's purchases with their trails, read once (collect.ts). */
export interface ReportInput {
  storeId: string;
  from: string;
  to: string;
  trails: readonly PurchaseTrail[];
  messages: ReadonlyMap<string, MessageRecord>;
  /** Every purchase of the customers who were sent an offer (to see whether they bought it). */
  customerPurchases: readonly PurchaseRecord[];
}

export interface NpsFigures {
  answers: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** −100…100, undefined without answers. */
  nps: number | undefined;
}

export interface CsatFigures {
  answers: number;
  /** Answers of 4 or 5 out of 5. */
  satisfied: number;
  csat: number | undefined;
  average: number | undefined;
}

export interface SequenceFigures {
  sequence: SequenceName;
  sent: number;
  skipped: Record<string, number>;
  postponed: number;
  failed: number;
  /** Planned steps with no decision yet (their time has not come). */
  planned: number;
}

export interface GroupFigures {
  key: string;
  purchases: number;
  emailsSent: number;
  answers: number;
  nps: NpsFigures;
  csat: CsatFigures;
}

export interface Report {
  storeId: string;
  from: string;
  to: string;
  purchases: { total: number; byStatus: Record<string, number> };
  sequences: SequenceFigures[];
  delivery: {
    sent: number;
    delivered: number;
    bounced: number;
    complained: number;
    /** Soft bounces, rejects, rendering failures. */
    failed: number;
    /** No event from SES yet. */
    pending: number;
    /** No MESSAGE item (expired after 400 days, or sent before delivery tracking). */
    unknown: number;
  };
  surveys: { asked: number; answered: number };
  nps: NpsFigures;
  csat: CsatFigures;
  byProduct: GroupFigures[];
  byMonth: GroupFigures[];
  detractorAlerts: { sent: number; replyTime: string };
  offers: { sku: string; sent: number; converted: number }[];
  funnel: { purchases: number; emailed: number; asked: number; answered: number };
}

export function npsOf(answers: readonly Pick<SurveyAnswer, 'kind' | 'score'>[]): NpsFigures {
  const nps = answers.filter((a) => a.kind === 'nps');
  const count = (group: string) => nps.filter((a) => answerGroup(a) === group).length;
  const [promoters, passives, detractors] = [count('promoter'), count('passive'), count('detractor')];
  return {
    answers: nps.length,
    promoters,
    passives,
    detractors,
    nps: nps.length ? Math.round(((promoters - detractors) / nps.length) * 100) : undefined,
  };
}

export function csatOf(answers: readonly Pick<SurveyAnswer, 'kind' | 'score'>[]): CsatFigures {
  const scores = answers.filter((a) => a.kind === 'csat').map((a) => a.score);
  const satisfied = scores.filter((score) => score >= 4).length;
  return {
    answers: scores.length,
    satisfied,
    csat: scores.length ? Math.round((satisfied / scores.length) * 100) : undefined,
    average: scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10 : undefined,
  };
}

const sentBy = (trail: PurchaseTrail) => trail.decisions.filter((d) => d.status === 'sent');

function groupBy(trails: readonly PurchaseTrail[], keysOf: (trail: PurchaseTrail) => string[]): GroupFigures[] {
  const groups = new Map<string, PurchaseTrail[]>();
  for (const trail of trails)
    for (const key of new Set(keysOf(trail))) groups.set(key, [...(groups.get(key) ?? []), trail]);
  return [...groups.entries()].map(([key, members]) => {
    const answers = members.flatMap((t) => (t.survey ? [t.survey] : []));
    return {
      key,
      purchases: members.length,
      emailsSent: members.reduce((sum, t) => sum + sentBy(t).length, 0),
      answers: answers.length,
      nps: npsOf(answers),
      csat: csatOf(answers),
    };
  });
}

type Decision = PurchaseTrail['decisions'][number];

/** Which figure of its sequence one decision counts towards: a status, or the reason it was skipped. */
function figureOf(decision: Decision): 'sent' | 'failed' | 'postponed' | { skipped: string } {
  if (decision.status === 'sent') return 'sent';
  if (decision.status === 'failed') return 'failed';
  if (decision.status === 'postponed' || decision.status === 'sending') return 'postponed';
  return { skipped: decision.reason ?? 'unknown' };
}

function countDecision(figures: SequenceFigures, decision: Decision): void {
  const figure = figureOf(decision);
  if (typeof figure === 'string') figures[figure] += 1;
  else figures.skipped[figure.skipped] = (figures.skipped[figure.skipped] ?? 0) + 1;
}

/** Steps of the sequence's plan that have no decision yet. */
function stillPlanned({ record }: PurchaseTrail, sequence: SequenceName, ours: readonly Decision[]): number {
  const decided = new Set(ours.map((d) => d.step));
  return (record.sequences?.[sequence]?.steps ?? []).filter((s) => !decided.has(s.key)).length;
}

function sequenceFigures(trails: readonly PurchaseTrail[], sequence: SequenceName): SequenceFigures {
  const figures: SequenceFigures = { sequence, sent: 0, skipped: {}, postponed: 0, failed: 0, planned: 0 };
  for (const trail of trails) {
    const ours = trail.decisions.filter((d) => d.sequence === sequence);
    for (const d of ours) countDecision(figures, d);
    figures.planned += stillPlanned(trail, sequence, ours);
  }
  return figures;
}

/** Offers sent, and how many of those customers bought the offered SKU while the code was valid. */
function offerFigures(input: ReportInput): Report['offers'] {
  const bySku = new Map<string, { sku: string; sent: number; converted: number }>();
  for (const { record, decisions } of input.trails) {
    for (const decision of decisions.filter((d) => d.sequence === 'upgrade-offer' && d.status === 'sent')) {
      const step = record.sequences?.['upgrade-offer']?.steps.find((s) => s.key === decision.step);
      const offer = step && isOffer(step) ? step.data : undefined;
      const sku = offer?.offerSku ?? decision.step.replace(/^offer-/, '');
      const sentAt = Date.parse(decision.at);
      const until = sentAt + (offer?.codeValidDays ?? 14) * 86_400_000;
      const bought = input.customerPurchases.some((other) => {
        const at = Date.parse(other.purchase?.purchasedAt ?? '');
        return (
          other.customerKey === record.customerKey &&
          other.orderId !== record.orderId &&
          at >= sentAt &&
          at <= until &&
          (other.purchase?.lineItems ?? []).some((line) => line.sku === sku)
        );
      });
      const figures = bySku.get(sku) ?? { sku, sent: 0, converted: 0 };
      figures.sent += 1;
      if (bought) figures.converted += 1;
      bySku.set(sku, figures);
    }
  }
  return [...bySku.values()].sort((a, b) => a.sku.localeCompare(b.sku));
}

type DeliveryFigures = Report['delivery'];
type DeliveryFigure = Exclude<keyof DeliveryFigures, 'sent'>;

/**
 * The figures one message's state counts towards, the states as the ses-events function records them on MESSAGE
 * items (functions/ses-events/events.ts): a complaint comes after a delivery (so counts as delivered too); soft
 * bounces, rejects and rendering failures count as "not delivered".
 */
function deliveryFiguresOf(state: string | undefined): DeliveryFigure[] {
  if (state === undefined) return ['unknown'];
  if (state === 'delivered') return ['delivered'];
  if (state === 'complained') return ['delivered', 'complained'];
  if (state === 'bounced') return ['bounced'];
  if (state === 'soft-bounced' || state === 'rejected' || state === 'rendering-failed') return ['failed'];
  if (state === 'sent') return ['pending'];
  return [];
}

function deliveryFigures(input: ReportInput): DeliveryFigures {
  const figures = { sent: 0, delivered: 0, bounced: 0, complained: 0, failed: 0, pending: 0, unknown: 0 };
  for (const decision of input.trails.flatMap(sentBy)) {
    figures.sent += 1;
    const state = decision.messageId ? input.messages.get(decision.messageId)?.state : undefined;
    for (const figure of deliveryFiguresOf(state)) figures[figure] += 1;
  }
  return figures;
}

/** The whole report from its input: pure, so every figure is checked directly in tests. */
export function aggregateReport(input: ReportInput): Report {
  const { trails } = input;
  const answers = trails.flatMap((t) => (t.survey ? [t.survey] : []));
  const byStatus: Record<string, number> = {};
  for (const { record } of trails) byStatus[record.status] = (byStatus[record.status] ?? 0) + 1;
  const asked = trails.filter((t) => t.decisions.some((d) => d.step === 'ask' && d.status === 'sent')).length;
  const emailed = trails.filter((t) => sentBy(t).some((d) => d.step !== 'detractor-alert')).length;
  const purchaseMonth = (t: PurchaseTrail) => (t.record.purchase?.purchasedAt ?? t.record.createdAt).slice(0, 7);
  return {
    storeId: input.storeId,
    from: input.from,
    to: input.to,
    purchases: { total: trails.length, byStatus },
    sequences: SEQUENCES.map((sequence) => sequenceFigures(trails, sequence)),
    delivery: deliveryFigures(input),
    surveys: { asked, answered: answers.length },
    nps: npsOf(answers),
    csat: csatOf(answers),
    byProduct: groupBy(trails, (t) => (t.record.purchase?.lineItems ?? []).map((line) => line.title)).sort(
      (a, b) => b.purchases - a.purchases || a.key.localeCompare(b.key),
    ),
    byMonth: groupBy(trails, (t) => [purchaseMonth(t)]).sort((a, b) => a.key.localeCompare(b.key)),
    detractorAlerts: {
      sent: trails.flatMap(sentBy).filter((d) => d.step === 'detractor-alert').length,
      replyTime: 'unknown (store replies are not recorded)',
    },
    offers: offerFigures(input),
    funnel: { purchases: trails.length, emailed, asked, answered: answers.length },
  };
}
