import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { renderEmail, sampleVariables, TEMPLATE_IDS } from '../../functions/shared/email/index.ts';
import { senderAddress } from '../../functions/shared/email/sender.ts';
import { LOCALES } from '../../infra/config.ts';

/**
 * `npm run bench:spam`: scores every template in every language with SpamAssassin's local rules (`spamassassin -L`,
 * no network tests), the way a receiving server would see the message: multipart/alternative, the named From,
 * an RFC 2047 subject and List-Unsubscribe. Needs Debian's `spamassassin` (`apt-get install spamassassin`); says so
 * and exits 0 when it is missing. Prints figures and flags scores above 1.0; not part of `npm test`.
 */
const LIMIT = 1.0;
const which = spawnSync('spamassassin', ['--version'], { encoding: 'utf8' });
if (which.error || which.status !== 0) {
  console.log('spamassassin is not installed (Debian: apt-get install spamassassin); nothing scored.');
  process.exit(0);
}

const encodedWord = (text: string) =>
  /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
const base64Lines = (text: string) => Buffer.from(text, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');

function mimeMessage(email: { subject: string; html: string; text: string }, to: string): string {
  const boundary = `b-${randomUUID()}`;
  const part = (type: string, body: string) =>
    `--${boundary}\r\nContent-Type: ${type}; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(body)}\r\n`;
  return [
    `From: ${senderAddress(sampleVariables().store.name, 'care@brightbrew.example')}`,
    `To: ${to}`,
    `Subject: ${encodedWord(email.subject)}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${randomUUID()}@brightbrew.example>`,
    'MIME-Version: 1.0',
    'List-Unsubscribe: <https://brightbrew.example/u/tok3n>',
    'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    part('text/plain', email.text),
    part('text/html', email.html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

let over = 0;
console.log('template'.padEnd(38), LOCALES.map((locale) => locale.padStart(6)).join(''), ' rules hit (worst locale)');
for (const template of TEMPLATE_IDS) {
  const scores: number[] = [];
  let worst = { score: -Infinity, tests: '' };
  for (const locale of LOCALES) {
    const email = await renderEmail({ template, locale, timeZone: 'Europe/Amsterdam', variables: sampleVariables() });
    const result = spawnSync('spamassassin', ['-L', '-t'], {
      input: mimeMessage(email, 'sam@example.com'),
      encoding: 'utf8',
    });
    const status = /^X-Spam-Status: .*?score=(-?[\d.]+)[\s\S]*?tests=([\s\S]*?)autolearn/m.exec(result.stdout);
    const score = Number(status?.[1] ?? Number.NaN);
    scores.push(score);
    if (score > worst.score) worst = { score, tests: (status?.[2] ?? '').replace(/\s+/g, '') };
    if (!(score <= LIMIT)) over += 1;
  }
  const cells = scores.map((score) => `${score.toFixed(1)}${score > LIMIT ? '!' : ' '}`.padStart(6)).join('');
  console.log(template.padEnd(38), cells, ` ${worst.tests}`);
}
console.log(over === 0 ? `every email scores ≤ ${LIMIT}` : `${over} email(s) score above ${LIMIT} (marked !)`);
