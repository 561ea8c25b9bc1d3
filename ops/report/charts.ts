/** Inline SVG charts for the HTML report: no scripts, no external assets, readable when printed. */

export const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

export const COLORS = {
  sent: '#2f9e44',
  postponed: '#f59f00',
  planned: '#a5b4c8',
  skipped: '#e8590c',
  failed: '#c92a2a',
  promoter: '#2f9e44',
  passive: '#adb5bd',
  detractor: '#e03131',
  line: '#1c7ed6',
  funnel: '#1c7ed6',
};

const svg = (width: number, height: number, label: string, body: string) =>
  `<svg viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px" role="img" aria-label="${escapeHtml(label)}" xmlns="http://www.w3.org/2000/svg" font-family="system-ui,sans-serif" font-size="12">${body}</svg>`;

const text = (x: number, y: number, content: string, extra = '') =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${extra}>${escapeHtml(content)}</text>`;

/** NPS (−100…100) per month as a line with labelled points; months without answers leave a gap. */
export function npsTrendChart(points: readonly { month: string; nps: number | undefined; answers: number }[]): string {
  const width = 640;
  const height = 240;
  const left = 40;
  const top = 16;
  const plotW = width - left - 40;
  const plotH = height - top - 40;
  const x = (i: number) => left + (points.length <= 1 ? plotW / 2 : (i * plotW) / (points.length - 1));
  const y = (value: number) => top + ((100 - value) / 200) * plotH;
  const grid = [-100, -50, 0, 50, 100]
    .map(
      (v) =>
        `<line x1="${left}" x2="${left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="${v === 0 ? '#868e96' : '#e9ecef'}"/>` +
        text(left - 6, y(v) + 4, String(v), 'text-anchor="end" fill="#868e96"'),
    )
    .join('');
  const segments: string[][] = [[]];
  points.forEach((p, i) => {
    if (p.nps === undefined) segments.push([]);
    else segments.at(-1)?.push(`${x(i).toFixed(1)},${y(p.nps).toFixed(1)}`);
  });
  const lines = segments
    .filter((s) => s.length > 1)
    .map((s) => `<polyline points="${s.join(' ')}" fill="none" stroke="${COLORS.line}" stroke-width="2.5"/>`)
    .join('');
  const dots = points
    .map((p, i) =>
      p.nps === undefined
        ? ''
        : `<circle cx="${x(i)}" cy="${y(p.nps)}" r="4" fill="${COLORS.line}"><title>${escapeHtml(`${p.month}: NPS ${p.nps} (${p.answers} answers)`)}</title></circle>` +
          text(x(i), y(p.nps) - 9, String(p.nps), 'text-anchor="middle" font-weight="600"'),
    )
    .join('');
  const labels = points.map((p, i) => text(x(i), height - 18, p.month, 'text-anchor="middle" fill="#495057"')).join('');
  const empty = points.every((p) => p.nps === undefined)
    ? text(
        left + plotW / 2,
        top + plotH / 2 - 8,
        'no NPS answers in this period',
        'text-anchor="middle" fill="#868e96"',
      )
    : '';
  return svg(width, height, 'NPS by month of purchase', grid + lines + dots + labels + empty);
}

export interface StackedRow {
  label: string;
  parts: readonly { name: keyof typeof COLORS; value: number }[];
}

/** One horizontal bar per row, split into coloured parts, with a legend. */
export function stackedBarChart(rows: readonly StackedRow[], title: string): string {
  const width = 640;
  const labelW = 150;
  const barH = 26;
  const gap = 12;
  const plotW = width - labelW - 60;
  const max = Math.max(1, ...rows.map((r) => r.parts.reduce((sum, p) => sum + p.value, 0)));
  const bars = rows
    .map((row, i) => {
      const y = 8 + i * (barH + gap);
      let x = labelW;
      const parts = row.parts
        .filter((p) => p.value > 0)
        .map((p) => {
          const w = (p.value / max) * plotW;
          const rect = `<rect x="${x.toFixed(1)}" y="${y}" width="${Math.max(w, 1).toFixed(1)}" height="${barH}" fill="${COLORS[p.name]}"><title>${escapeHtml(`${row.label}: ${p.value} ${p.name}`)}</title></rect>`;
          x += w;
          return rect;
        })
        .join('');
      const sum = row.parts.reduce((s, p) => s + p.value, 0);
      return (
        text(labelW - 8, y + barH / 2 + 4, row.label, 'text-anchor="end"') +
        parts +
        text(x + 6, y + barH / 2 + 4, String(sum), 'fill="#495057"')
      );
    })
    .join('');
  const names = [...new Set(rows.flatMap((r) => r.parts.map((p) => p.name)))];
  const legendY = 8 + rows.length * (barH + gap) + 6;
  const legend = names
    .map(
      (name, i) =>
        `<rect x="${labelW + i * 100}" y="${legendY}" width="12" height="12" fill="${COLORS[name]}"/>` +
        text(labelW + i * 100 + 17, legendY + 11, name),
    )
    .join('');
  return svg(width, legendY + 22, title, bars + legend);
}

/** Centred bars narrowing from purchases to answers, each with its count and share of the step before. */
export function funnelChart(stages: readonly { label: string; value: number }[]): string {
  const width = 640;
  const [labelW, valueW] = [130, 150];
  const barH = 34;
  const gap = 8;
  const plotW = width - labelW - valueW - 16;
  const max = Math.max(1, ...stages.map((s) => s.value));
  const body = stages
    .map((stage, i) => {
      const w = Math.max(2, (stage.value / max) * plotW);
      const y = 4 + i * (barH + gap);
      const x = labelW + 8 + (plotW - w) / 2;
      const previous = stages[i - 1]?.value;
      const share = previous ? ` · ${Math.round((stage.value / previous) * 100)}%` : '';
      return (
        `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${barH}" rx="4" fill="${COLORS.funnel}" opacity="${(1 - i * 0.18).toFixed(2)}"/>` +
        text(labelW, y + barH / 2 + 4, stage.label, 'text-anchor="end" font-weight="600"') +
        text(width - valueW + 8, y + barH / 2 + 4, `${stage.value}${share}`, 'fill="#495057"')
      );
    })
    .join('');
  return svg(width, 4 + stages.length * (barH + gap), 'Funnel from purchases to survey answers', body);
}
