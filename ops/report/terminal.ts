import { percent, table } from '../format.ts';
import type { CsatFigures, GroupFigures, NpsFigures, Report } from './aggregate.ts';

export const signed = (value: number | undefined) => (value === undefined ? '–' : value > 0 ? `+${value}` : `${value}`);

export function npsText(nps: NpsFigures): string {
  if (!nps.answers) return 'no NPS answers';
  return `${signed(nps.nps)}  (${nps.promoters} promoters, ${nps.passives} passives, ${nps.detractors} detractors of ${nps.answers})`;
}

export function csatText(csat: CsatFigures): string {
  if (!csat.answers) return 'no CSAT answers';
  return `${csat.csat}% satisfied (${csat.satisfied} of ${csat.answers} answered 4–5; average ${csat.average})`;
}

export function skippedText(skipped: Record<string, number>): string {
  return (
    Object.entries(skipped)
      .sort((a, b) => b[1] - a[1])
      .map(([reason, count]) => `${reason} ${count}`)
      .join(', ') || '–'
  );
}

function deliveryNotes(delivery: Report['delivery']): string {
  const notes = [
    delivery.failed ? `${delivery.failed} soft-bounced or rejected` : '',
    delivery.pending ? `${delivery.pending} awaiting SES` : '',
    delivery.unknown ? `${delivery.unknown} without delivery data` : '',
  ].filter(Boolean);
  return notes.length ? `; ${notes.join(', ')}` : '';
}

const total = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);

function groupRows(groups: readonly GroupFigures[]): string[][] {
  return groups.map((g) => [
    g.key,
    String(g.purchases),
    String(g.emailsSent),
    String(g.answers),
    signed(g.nps.nps),
    g.csat.csat === undefined ? '–' : `${g.csat.csat}%`,
  ]);
}

/** The report as text for the terminal: headline figures, then one table per breakdown. */
export function renderTerminal(report: Report): string {
  const { delivery, surveys, purchases } = report;
  const statuses = Object.entries(purchases.byStatus)
    .map(([status, count]) => `${status} ${count}`)
    .join(', ');
  const sentTotal = report.sequences.reduce((sum, s) => sum + s.sent, 0);
  const perPurchase = purchases.total ? (sentTotal / purchases.total).toFixed(1) : '–';
  const lines = [
    `Aftercare report · store ${report.storeId} · purchases bought ${report.from} … ${report.to}`,
    '',
    `Purchases   ${purchases.total}${statuses ? ` (${statuses})` : ''}`,
    `Emails      ${sentTotal} sent · ${perPurchase} per purchase`,
    `Delivery    ${percent(delivery.delivered, delivery.sent)} delivered · ${percent(delivery.bounced, delivery.sent)} bounced · ${percent(delivery.complained, delivery.sent)} complaints (of ${delivery.sent} sent${deliveryNotes(delivery)})`,
    `Surveys     ${surveys.answered} answered of ${surveys.asked} asked (${percent(surveys.answered, surveys.asked)})`,
    `NPS         ${npsText(report.nps)}`,
    `CSAT        ${csatText(report.csat)}`,
    `Detractors  ${report.detractorAlerts.sent} alerts sent to the store · time until the store replied: ${report.detractorAlerts.replyTime}`,
    '',
    'Emails by sequence',
    table(
      ['SEQUENCE', 'SENT', 'POSTPONED', 'PLANNED', 'FAILED', 'SKIPPED', 'SKIPPED BY REASON'],
      report.sequences.map((s) => [
        s.sequence,
        String(s.sent),
        String(s.postponed),
        String(s.planned),
        String(s.failed),
        String(total(s.skipped)),
        skippedText(s.skipped),
      ]),
    ),
    '',
    'By product',
    table(['PRODUCT', 'PURCHASES', 'EMAILS', 'ANSWERS', 'NPS', 'CSAT'], groupRows(report.byProduct)),
    '',
    'By month of purchase',
    table(['MONTH', 'PURCHASES', 'EMAILS', 'ANSWERS', 'NPS', 'CSAT'], groupRows(report.byMonth)),
    '',
    'Offers (bought by the same customer while the code was valid)',
    report.offers.length
      ? table(
          ['OFFERED SKU', 'SENT', 'BOUGHT', 'CONVERSION'],
          report.offers.map((o) => [o.sku, String(o.sent), String(o.converted), percent(o.converted, o.sent)]),
        )
      : 'No offers sent.',
  ];
  return lines.join('\n');
}
