import { spawnSync } from 'node:child_process';
import { LOCALES } from '../../functions/shared/domain/vocabulary.ts';
import { type EmailVariables, sampleVariables, TEMPLATE_IDS } from '../../functions/shared/email/index.ts';
import { approximateScore, type SentMessage, sentMessage } from '../support/spam.ts';

/**
 * `npm run bench:spam`: scores every template in every language (and the offer with a single-use pool code) with
 * SpamAssassin's local rules (`spamassassin -L -t`, no network tests), as a receiving server gets the email: the
 * headers compose.ts sets and SES adds, multipart/alternative (test/support/spam.ts). Needs Debian's `spamassassin`
 * (`apt-get install spamassassin`); without it, says so and prints the structural approximation instead (the same
 * one the suite checks). Flags scores above 1.0; not part of `npm test`.
 */
const LIMIT = 1.0;
const version = spawnSync('spamassassin', ['--version'], { encoding: 'utf8' });
const real = !version.error && version.status === 0;
console.log(
  real
    ? `SpamAssassin ${/version ([\d.]+)/.exec(version.stdout)?.[1] ?? '?'}, local rules only (-L): real scores`
    : 'spamassassin is NOT installed (Debian: apt-get install spamassassin): FALLING BACK to the approximation of ' +
        'test/support/spam.ts (10 structural rules with SpamAssassin 4.0.1 scores), not a real spam score',
);

function score(message: SentMessage): { score: number; rules: string[] } {
  if (!real) return approximateScore(message);
  const result = spawnSync('spamassassin', ['-L', '-t'], { input: message.raw, encoding: 'utf8' });
  const status = /^X-Spam-Status: .*?score=(-?[\d.]+)[\s\S]*?tests=([\s\S]*?)autolearn/m.exec(result.stdout);
  const rules = (status?.[2] ?? '').replace(/\s+/g, '').split(',').filter(Boolean);
  return { score: Number(status?.[1] ?? Number.NaN), rules };
}

const singleUse = (): EmailVariables => {
  const variables = sampleVariables();
  variables.offer = { ...(variables.offer ?? { title: 'x' }), code: 'FROTH-7Q2X', singleUse: true };
  return variables;
};
const rows = [
  ...TEMPLATE_IDS.map((template) => ({ label: template, template, variables: sampleVariables })),
  { label: 'upgrade-offer/offer (pool code)', template: 'upgrade-offer/offer' as const, variables: singleUse },
];

let over = 0;
let worstOverall = -Infinity;
console.log('template'.padEnd(38), LOCALES.map((locale) => locale.padStart(6)).join(''), ' rules hit (worst locale)');
for (const row of rows) {
  const scores: number[] = [];
  let worst = { score: -Infinity, rules: [] as string[] };
  for (const locale of LOCALES) {
    const result = score(await sentMessage(row.template, locale, row.variables()));
    scores.push(result.score);
    if (result.score > worst.score) worst = result;
    if (!(result.score <= LIMIT)) over += 1;
  }
  worstOverall = Math.max(worstOverall, worst.score);
  const cells = scores.map((value) => `${value.toFixed(1)}${value > LIMIT ? '!' : ' '}`.padStart(6)).join('');
  console.log(row.label.padEnd(38), cells, ` ${worst.rules.join(',')}`);
}
console.log(
  `${real ? 'SpamAssassin' : 'approximation'}: worst ${worstOverall.toFixed(3)}; ` +
    (over === 0 ? `every email scores ≤ ${LIMIT}` : `${over} email(s) score above ${LIMIT} (marked !)`),
);
