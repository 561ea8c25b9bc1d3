import { percent } from '../format.ts';
import type { GroupFigures, Report } from './aggregate.ts';
import { COLORS, escapeHtml, funnelChart, npsTrendChart, stackedBarChart } from './charts.ts';
import { csatText, signed, skippedText } from './terminal.ts';

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f4f6f8;color:#212529}
main{max-width:1080px;margin:0 auto;padding:24px}h1{margin:0 0 4px;font-size:24px}h2{font-size:17px;margin:0 0 12px}
.sub{color:#6c757d;margin:0 0 20px}.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin-bottom:16px}
.card,.panel{background:#fff;border-radius:10px;box-shadow:0 1px 3px #0000001a;padding:14px 16px}
.card b{display:block;font-size:26px;margin-top:4px}.card small{color:#6c757d}.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px;margin-bottom:16px}
@media (max-width:860px){.grid{grid-template-columns:1fr}}table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:6px 8px;border-bottom:1px solid #e9ecef;text-align:left}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.bar{display:flex;height:10px;border-radius:5px;overflow:hidden;margin-top:8px}.panel{margin-bottom:16px}`;

const card = (title: string, value: string, note: string, extra = '') =>
  `<div class="card">${escapeHtml(title)}<b>${escapeHtml(value)}</b><small>${escapeHtml(note)}</small>${extra}</div>`;

function npsBar(report: Report): string {
  const { promoters, passives, detractors, answers } = report.nps;
  if (!answers) return '';
  const part = (n: number, color: string) => (n ? `<span style="flex:${n};background:${color}"></span>` : '');
  return `<div class="bar" title="promoters / passives / detractors">${part(promoters, COLORS.promoter)}${part(passives, COLORS.passive)}${part(detractors, COLORS.detractor)}</div>`;
}

function tableHtml(header: readonly string[], rows: readonly (readonly string[])[], numericFrom = 1): string {
  const cell = (tag: string, value: string, i: number) =>
    `<${tag}${i >= numericFrom ? ' class="n"' : ''}>${escapeHtml(value)}</${tag}>`;
  return `<table><tr>${header.map((h, i) => cell('th', h, i)).join('')}</tr>${rows
    .map((row) => `<tr>${row.map((v, i) => cell('td', v, i)).join('')}</tr>`)
    .join('')}</table>`;
}

const groupTable = (title: string, groups: readonly GroupFigures[]) =>
  tableHtml(
    [title, 'Purchases', 'Emails', 'Answers', 'NPS', 'CSAT'],
    groups.map((g) => [
      g.key,
      String(g.purchases),
      String(g.emailsSent),
      String(g.answers),
      signed(g.nps.nps),
      g.csat.csat === undefined ? '–' : `${g.csat.csat}%`,
    ]),
  );

const panel = (title: string, body: string) => `<section class="panel"><h2>${escapeHtml(title)}</h2>${body}</section>`;

/** The report as one self-contained HTML page (inline CSS and SVG, no scripts, no external requests). */
export function renderHtml(report: Report, generatedAt: string): string {
  const sent = report.sequences.reduce((sum, s) => sum + s.sent, 0);
  const { delivery, surveys, nps } = report;
  const sequenceRows = report.sequences.map((s) => ({
    label: s.sequence,
    parts: [
      { name: 'sent' as const, value: s.sent },
      { name: 'postponed' as const, value: s.postponed },
      { name: 'planned' as const, value: s.planned },
      { name: 'skipped' as const, value: Object.values(s.skipped).reduce((a, b) => a + b, 0) },
      { name: 'failed' as const, value: s.failed },
    ],
  }));
  const cards = [
    card('Purchases', String(report.purchases.total), `${report.purchases.byStatus.refunded ?? 0} refunded`),
    card(
      'Emails sent',
      String(sent),
      `${report.purchases.total ? (sent / report.purchases.total).toFixed(1) : '–'} per purchase`,
    ),
    card(
      'Delivered',
      percent(delivery.delivered, delivery.sent),
      `${percent(delivery.bounced, delivery.sent)} bounced · ${percent(delivery.complained, delivery.sent)} complaints`,
    ),
    card('Survey response', percent(surveys.answered, surveys.asked), `${surveys.answered} of ${surveys.asked} asked`),
    card(
      'NPS',
      signed(nps.nps),
      `${nps.promoters} promoters · ${nps.passives} passives · ${nps.detractors} detractors`,
      npsBar(report),
    ),
    card('Detractor alerts', String(report.detractorAlerts.sent), `reply time: ${report.detractorAlerts.replyTime}`),
  ].join('');
  const offers = report.offers.length
    ? tableHtml(
        ['Offered SKU', 'Sent', 'Bought in code window', 'Conversion'],
        report.offers.map((o) => [o.sku, String(o.sent), String(o.converted), percent(o.converted, o.sent)]),
      )
    : '<p>No offers sent in this period.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Aftercare report · ${escapeHtml(report.storeId)} · ${escapeHtml(report.from)} – ${escapeHtml(report.to)}</title>
<style>${STYLE}</style></head>
<body><main>
<h1>Aftercare report · ${escapeHtml(report.storeId)}</h1>
<p class="sub">Purchases bought ${escapeHtml(report.from)} – ${escapeHtml(report.to)} · generated ${escapeHtml(generatedAt.slice(0, 16).replace('T', ' '))} UTC · CSAT: ${escapeHtml(csatText(report.csat))}</p>
<div class="cards">${cards}</div>
<div class="grid">
${panel('NPS by month of purchase', npsTrendChart(report.byMonth.map((m) => ({ month: m.key, nps: m.nps.nps, answers: m.nps.answers }))))}
${panel(
  'From purchase to answer',
  funnelChart([
    { label: 'Purchases', value: report.funnel.purchases },
    { label: 'Emailed', value: report.funnel.emailed },
    { label: 'Asked for a score', value: report.funnel.asked },
    { label: 'Answered', value: report.funnel.answered },
  ]),
)}
</div>
${panel(
  'Emails by sequence',
  stackedBarChart(sequenceRows, 'Emails by sequence') +
    tableHtml(
      ['Sequence', 'Sent', 'Postponed', 'Planned', 'Failed', 'Skipped by reason'],
      report.sequences.map((s) => [
        s.sequence,
        String(s.sent),
        String(s.postponed),
        String(s.planned),
        String(s.failed),
        skippedText(s.skipped),
      ]),
      1,
    ),
)}
<div class="grid">
${panel('By product', groupTable('Product', report.byProduct))}
${panel('By month of purchase', groupTable('Month', report.byMonth))}
</div>
${panel('Offers (bought by the same customer while the code was valid)', offers)}
</main></body></html>
`;
}
