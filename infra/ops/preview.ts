import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderEmail, sampleVariables, TEMPLATE_IDS } from '../../functions/shared/email/index.ts';
import { LOCALES } from '../config.ts';

/**
 * `npm run preview [dir]`: renders every email template in every language with sample data into
 * `<dir>/<locale>/<template>.html|.txt` (default test/artifacts/email-preview) plus an index.html gallery.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = resolve(process.argv[2] ?? join(root, 'test/artifacts/email-preview'));

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const rows: string[] = [];
for (const template of TEMPLATE_IDS) {
  const cells: string[] = [];
  for (const locale of LOCALES) {
    const email = await renderEmail({ template, locale, timeZone: 'Europe/Amsterdam', variables: sampleVariables() });
    const file = `${locale}/${template.replace('/', '--')}`;
    mkdirSync(join(outDir, locale), { recursive: true });
    writeFileSync(join(outDir, `${file}.html`), email.html);
    writeFileSync(
      join(outDir, `${file}.txt`),
      `Subject: ${email.subject}\nPreheader: ${email.preheader}\n\n${email.text}`,
    );
    cells.push(
      `<td><a href="${file}.html">${escapeHtml(email.subject)}</a><br><small><a href="${file}.txt">text</a></small></td>`,
    );
  }
  rows.push(`<tr><th>${escapeHtml(template)}</th>${cells.join('')}</tr>`);
}

writeFileSync(
  join(outDir, 'index.html'),
  `<!doctype html><html><head><meta charset="utf-8"><title>Aftercare email preview</title>
<style>body{font-family:system-ui,sans-serif;margin:24px}table{border-collapse:collapse}
th,td{border:1px solid #d0d7de;padding:8px;vertical-align:top;text-align:left;font-size:14px}</style></head>
<body><h1>Aftercare email preview</h1><table><tr><th>Template</th>${LOCALES.map((locale) => `<th>${locale}</th>`).join('')}</tr>
${rows.join('\n')}
</table></body></html>
`,
);
console.log(join(outDir, 'index.html'));
