import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCALES, type Locale } from '../functions/shared/domain/vocabulary.ts';
import {
  type EmailVariables,
  renderEmail,
  sampleVariables,
  TEMPLATE_IDS,
  TEMPLATE_PURPOSES,
  type TemplateId,
} from '../functions/shared/email/index.ts';
import { senderAddress } from '../functions/shared/email/sender.ts';

/**
 * `npm run preview [dir]`: renders every email template in every language with sample data into
 * `<dir>/<locale>/<template>.html|.txt` (default test/artifacts/email-preview) plus an index.html gallery: the From
 * line, each template's purpose and legal basis, the thanks and survey on light and dark brand colours, and the
 * fallback when a store has no help page.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(process.argv[2] ?? join(root, 'test/artifacts/email-preview'));
const SAMPLE = sampleVariables();
const FROM = senderAddress(SAMPLE.store.name, 'care@brightbrew.example');
const BRAND_COLOURS = { yellow: '#ffd43b', mint: '#63e6be', orange: '#fd7e14', 'near-black': '#111111' };

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

async function write(
  file: string,
  template: TemplateId,
  locale: Locale,
  variables: EmailVariables,
  formatLocale?: string,
) {
  const timeZone = 'Europe/Amsterdam';
  const email = await renderEmail({ template, locale, timeZone, variables, ...(formatLocale ? { formatLocale } : {}) });
  mkdirSync(dirname(join(outDir, file)), { recursive: true });
  writeFileSync(join(outDir, `${file}.html`), email.html);
  writeFileSync(
    join(outDir, `${file}.txt`),
    `From: ${FROM}\nSubject: ${email.subject}\nPreheader: ${email.preheader}\n\n${email.text}`,
  );
  return `<a href="${file}.html">${escapeHtml(email.subject)}</a><br><small><a href="${file}.txt">text</a></small>`;
}

const rows: string[] = [];
for (const template of TEMPLATE_IDS) {
  const cells: string[] = [];
  for (const locale of LOCALES) {
    cells.push(`<td>${await write(`${locale}/${template.replace('/', '--')}`, template, locale, SAMPLE)}</td>`);
  }
  const { purpose, legalBasis } = TEMPLATE_PURPOSES[template];
  rows.push(`<tr><th>${escapeHtml(template)}<br><small>${purpose} · ${legalBasis}</small></th>${cells.join('')}</tr>`);
}

const variants: string[] = [];
for (const [name, brandColor] of Object.entries(BRAND_COLOURS)) {
  const variables = { ...SAMPLE, store: { ...SAMPLE.store, brandColor } };
  const thanks = await write(`brand/${name}--thanks`, 'follow-up/thanks', 'en', variables);
  const ask = await write(`brand/${name}--ask`, 'satisfaction-survey/ask', 'en', variables);
  variants.push(`<tr><th>${name} ${brandColor}</th><td>${thanks}</td><td>${ask}</td></tr>`);
}
const { helpUrl: _helpUrl, ...withoutHelp } = SAMPLE.store;
const mailto = await write('variants/no-help-page--thanks', 'follow-up/thanks', 'en', {
  ...SAMPLE,
  store: withoutHelp,
  links: { ...SAMPLE.links, support: undefined },
});
variants.push(`<tr><th>no help page (mailto, labelled as email)</th><td colspan="2">${mailto}</td></tr>`);
const poolOffer = { ...(SAMPLE.offer ?? { title: 'offer' }), code: 'FROTH-7Q2X', singleUse: true };
const pooled = await write('variants/pool-code--offer', 'upgrade-offer/offer', 'en', { ...SAMPLE, offer: poolOffer });
const regional = await write('variants/en-GB--warranty', 'warranty-reminder/reminder', 'en', SAMPLE, 'en-GB');
variants.push(`<tr><th>single-use code from the pool · en-GB dates</th><td>${pooled}</td><td>${regional}</td></tr>`);

writeFileSync(
  join(outDir, 'index.html'),
  `<!doctype html><html><head><meta charset="utf-8"><title>Aftercare email preview</title>
<style>body{font-family:system-ui,sans-serif;margin:24px}table{border-collapse:collapse;margin-bottom:24px}
th,td{border:1px solid #d0d7de;padding:8px;vertical-align:top;text-align:left;font-size:14px}</style></head>
<body><h1>Aftercare email preview</h1><p>From: <code>${escapeHtml(FROM)}</code></p>
<table><tr><th>Template</th>${LOCALES.map((locale) => `<th>${locale}</th>`).join('')}</tr>
${rows.join('\n')}
</table><h2>Brand colours and fallbacks</h2><table><tr><th>Variant</th><th>thanks</th><th>survey</th></tr>
${variants.join('\n')}
</table></body></html>
`,
);
console.log(join(outDir, 'index.html'));
