import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG_FILE } from '../../functions/shared/config/file.ts';
import { configSchema } from '../../functions/shared/config/schema.ts';
import type { Locale } from '../../functions/shared/domain/vocabulary.ts';
import {
  type EmailVariables,
  isMarketing,
  renderEmail,
  sampleVariables,
  type TemplateId,
} from '../../functions/shared/email/index.ts';
import { senderAddress } from '../../functions/shared/email/sender.ts';

/** One email as a receiving server gets it: the headers compose.ts sets and SES adds, and both parts. */
export interface SentMessage {
  headers: { name: string; value: string }[];
  subject: string;
  text: string;
  html: string;
  /** The whole RFC 5322 message (CRLF), multipart/alternative, parts in Base64. */
  raw: string;
}

const store = () => {
  const config = configSchema.parse(JSON.parse(readFileSync(DEFAULT_CONFIG_FILE, 'utf8')));
  const demo = config.stores[0];
  if (!demo) throw new Error('the demo configuration has no store');
  return demo;
};

const encodedWord = (text: string) =>
  /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
const base64Lines = (text: string) => Buffer.from(text, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');

/**
 * The demo store's email of `template` in `locale`, with the headers functions/step/compose.ts gives it (named From,
 * Reply-To, X-Aftercare-*, List-Unsubscribe only on marketing mail to customers) and those SES adds (Message-ID,
 * Date, MIME-Version, Feedback-ID).
 */
export async function sentMessage(
  template: TemplateId,
  locale: Locale,
  variables: EmailVariables = sampleVariables(),
): Promise<SentMessage> {
  const demo = store();
  const email = await renderEmail({ template, locale, timeZone: demo.timeZone, variables });
  const toStore = template === 'satisfaction-survey/detractor-alert';
  const [sequence, step] = template.split('/') as [string, string];
  const boundary = `b-${randomUUID()}`;
  const headers = [
    { name: 'From', value: senderAddress(demo.senderName ?? demo.name, demo.fromAddress) },
    { name: 'To', value: toStore ? demo.supportEmail : 'sam@example.com' },
    ...(toStore ? [{ name: 'Reply-To', value: 'sam@example.com' }] : []),
    ...(!toStore && demo.replyTo ? [{ name: 'Reply-To', value: demo.replyTo }] : []),
    { name: 'Subject', value: encodedWord(email.subject) },
    { name: 'Date', value: new Date().toUTCString().replace('GMT', '+0000') },
    { name: 'Message-ID', value: `<0100019${randomUUID().replace(/-/g, '')}-000000@email.amazonses.com>` },
    { name: 'MIME-Version', value: '1.0' },
    { name: 'X-Aftercare-Sequence', value: sequence },
    { name: 'X-Aftercare-Step', value: step },
    ...(isMarketing(template) && !toStore
      ? [
          { name: 'List-Unsubscribe', value: '<https://care.demo-appliances.example/u/tok3n>' },
          { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
        ]
      : []),
    { name: 'Feedback-ID', value: `::1.us-east-1.${randomUUID().slice(0, 8)}:AmazonSES` },
    { name: 'Content-Type', value: `multipart/alternative; boundary="${boundary}"` },
  ];
  const part = (type: string, body: string) =>
    `--${boundary}\r\nContent-Type: ${type}; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(body)}\r\n`;
  const raw = [
    ...headers.map((header) => `${header.name}: ${header.value}`),
    '',
    part('text/plain', email.text),
    part('text/html', email.html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return { headers, subject: email.subject, text: email.text, html: email.html, raw };
}

/**
 * Rules of SpamAssassin 4.0.1 (Debian 12) that a message's own structure decides, with their scores in set 0 (no
 * network tests, no Bayes: what `spamassassin -L` uses) from its 50_scores.cf. Not SpamAssassin: what the suite can
 * check without it installed, and what bench:spam falls back to.
 */
const RULES: { name: string; score: number; hits: (message: SentMessage) => boolean }[] = [
  { name: 'MISSING_DATE', score: 2.739, hits: (m) => !header(m, 'Date') },
  { name: 'MISSING_MID', score: 0.552, hits: (m) => !header(m, 'Message-ID') },
  { name: 'MISSING_SUBJECT', score: 0.001, hits: (m) => !m.subject.trim() },
  { name: 'MISSING_HEADERS', score: 0.915, hits: (m) => !header(m, 'To') },
  { name: 'EMPTY_MESSAGE', score: 2.195, hits: (m) => !m.text.trim() && !visibleText(m.html).trim() },
  { name: 'MIME_HTML_ONLY', score: 0.1, hits: (m) => !m.text.trim() },
  {
    name: 'SUBJ_ALL_CAPS',
    score: 0.5,
    hits: (m) => /\p{L}{2}/u.test(m.subject) && m.subject === m.subject.toUpperCase(),
  },
  // SpamAssassin: multipart_alternative_difference('99', '100'), the parts sharing (almost) no words.
  { name: 'MPART_ALT_DIFF', score: 2.246, hits: (m) => sharedWords(m.text, visibleText(m.html)) < 0.01 },
  { name: 'FREEMAIL_FROM', score: 0.001, hits: (m) => /@(gmail|yahoo|hotmail|outlook)\./i.test(header(m, 'From')) },
  { name: 'HTML_MESSAGE', score: 0.001, hits: (m) => /<html/i.test(m.html) },
];

function header(message: SentMessage, name: string): string {
  return message.headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value ?? '';
}

function visibleText(html: string): string {
  return html
    .replace(/<(style|script|head)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z#0-9]+;/gi, ' ');
}

/** The share of the HTML part's distinct words that the text part also has. */
function sharedWords(text: string, html: string): number {
  const words = (value: string) => new Set(value.toLowerCase().match(/\p{L}{3,}/gu) ?? []);
  const inHtml = words(html);
  if (inHtml.size === 0) return 1;
  const inText = words(text);
  return [...inHtml].filter((word) => inText.has(word)).length / inHtml.size;
}

export function approximateScore(message: SentMessage): { score: number; rules: string[] } {
  const hit = RULES.filter((rule) => rule.hits(message));
  return { score: hit.reduce((sum, rule) => sum + rule.score, 0), rules: hit.map((rule) => rule.name) };
}
