import type { StoreConfig } from '../shared/config/schema.ts';
import { customerTimeZone, type PlannedStep, type SequenceRun } from '../shared/domain/plan.ts';
import type { Purchase } from '../shared/domain/purchase.ts';
import { DAY } from '../shared/domain/schedule.ts';
import type { Locale } from '../shared/domain/vocabulary.ts';
import {
  type EmailVariables,
  formattingLocale,
  isMarketing,
  pickLocale,
  renderEmail,
  type TemplateId,
} from '../shared/email/index.ts';
import { senderAddress } from '../shared/email/sender.ts';
import { environment } from '../shared/env.ts';
import { headerSafe, type OutgoingEmail } from '../shared/mailer.ts';
import { gauge } from '../shared/metrics.ts';
import { claimDiscountCode, remainingDiscountCodes } from '../shared/store/discount-codes.ts';
import type { SurveyAnswer } from '../shared/store/surveys.ts';
import { createToken } from '../shared/tokens.ts';
import { DiscountCodesExhaustedError } from './send-once.ts';

export interface ComposeInput {
  run: SequenceRun;
  step: PlannedStep;
  purchase: Purchase;
  customerKey: string;
  store: StoreConfig;
  survey: SurveyAnswer | undefined;
  dueAt: number;
  now: number;
}

/** Builds the email of one step: recipient, localised content, signed links and the Aftercare headers. */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: predates the rule; left whole so the branches editing it merge cleanly (issue 16)
export async function composeEmail(input: ComposeInput): Promise<OutgoingEmail> {
  const { run, step, purchase, store, now } = input;
  const baseUrl = environment().AFTERCARE_PUBLIC_URL.replace(/\/$/, '');
  const toStore = step.to === 'store';
  const locale = toStore ? store.defaultLocale : pickLocale(purchase.customer.locale, store.defaultLocale);
  const formatLocale = toStore ? locale : formattingLocale(purchase.customer.locale, locale);
  const timeZone = toStore ? store.timeZone : customerTimeZone(purchase, store);
  const template = step.template as TemplateId;
  const marketing = !toStore && isMarketing(template);
  const expiresInSeconds = (ms: number) => Math.floor((now + ms) / 1000);

  const links: EmailVariables['links'] = {};
  if (!toStore) {
    const unsubscribeToken = await createToken({
      p: 'unsubscribe',
      s: store.id,
      o: purchase.orderId,
      c: input.customerKey,
      e: expiresInSeconds(400 * DAY),
    });
    // The unsubscribe page is also where categories are chosen: one link, not the same link twice.
    links.unsubscribe = `${baseUrl}/u/${unsubscribeToken}`;
  }
  if (step.key === 'ask' || step.key === 'reminder') {
    const closesAfterMs = Number(step.data?.closesAfterMs ?? 30 * DAY);
    const closesAt = input.dueAt - step.offsetMs + closesAfterMs;
    const surveyToken = await createToken({
      p: 'survey',
      s: store.id,
      o: purchase.orderId,
      c: input.customerKey,
      e: Math.floor(Math.max(closesAt, now + DAY) / 1000),
    });
    const kind = step.data?.kind === 'csat' ? 'csat' : 'nps';
    const scores = kind === 'csat' ? [1, 2, 3, 4, 5] : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    links.survey = scores.map((score) => ({ score, url: `${baseUrl}/s/${surveyToken}?score=${score}` }));
  }
  if (store.reviewUrl) links.review = store.reviewUrl;
  if (typeof step.data?.offerUrl === 'string') links.offer = step.data.offerUrl;
  links.support = store.helpUrl ?? `mailto:${store.supportEmail}`;

  const relevantItems = purchase.lineItems.filter(
    (item) => step.lineIds.length === 0 || step.lineIds.includes(item.lineId),
  );
  const variables: EmailVariables = {
    customer: { ...(purchase.customer.firstName ? { firstName: purchase.customer.firstName } : {}) },
    store: {
      name: store.name,
      brandColor: store.brandColor,
      supportEmail: store.supportEmail,
      ...(store.logoUrl ? { logoUrl: store.logoUrl } : {}),
      ...(store.logoWidth ? { logoWidth: store.logoWidth } : {}),
      ...(store.reviewUrl ? { reviewUrl: store.reviewUrl } : {}),
      ...(store.helpUrl ? { helpUrl: store.helpUrl } : {}),
      ...(store.postalAddress ? { postalAddress: store.postalAddress } : {}),
      ...(store.legalLine ? { legalLine: store.legalLine } : {}),
    },
    order: {
      ...(purchase.orderNumber ? { number: purchase.orderNumber } : {}),
      purchasedAt: purchase.purchasedAt,
      currency: purchase.currency,
      // A total only under the whole order: under some of its lines it would not add up to what is shown.
      ...(purchase.total && relevantItems.length === purchase.lineItems.length ? { total: purchase.total } : {}),
    },
    products: relevantItems.map((item) => ({ title: item.title, quantity: item.quantity, price: item.price })),
    links,
  };
  if (run.sequence === 'satisfaction-survey') {
    variables.survey = {
      kind: (input.survey?.kind ?? (step.data?.kind === 'csat' ? 'csat' : 'nps')) as 'nps' | 'csat',
      ...(input.survey ? { score: input.survey.score } : {}),
      ...(input.survey?.comment ? { comment: input.survey.comment } : {}),
      ...(toStore && purchase.customer.email ? { customerEmail: purchase.customer.email } : {}),
      ...(toStore && purchase.customer.firstName ? { customerName: purchase.customer.firstName } : {}),
    };
  }
  if (step.key.startsWith('warranty-')) {
    const months = Number(step.data?.months ?? 24);
    variables.warranty = { months, endsAt: new Date(input.dueAt - step.offsetMs).toISOString() };
  }
  if (typeof step.data?.offerTitle === 'string') {
    const code = await pooledCode(input);
    const offer = offerVariables(code ? { ...step.data, discountCode: code } : step.data, locale, formatLocale);
    variables.offer = code ? { ...offer, singleUse: true } : offer;
  }
  if (typeof step.data?.number === 'number') variables.maintenance = { number: step.data.number };

  const override = store.templates?.[template];
  const rendered = await renderEmail({ template, locale, timeZone, variables, override, formatLocale });
  const headers = [
    { name: 'X-Aftercare-Sequence', value: run.sequence },
    { name: 'X-Aftercare-Step', value: headerSafe(step.key) },
  ];
  if (marketing && links.unsubscribe) {
    headers.push({ name: 'List-Unsubscribe', value: `<${links.unsubscribe}>` });
    headers.push({ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' });
  }
  const to = toStore ? store.supportEmail : purchase.customer.email;
  if (!to) throw new Error('no recipient');
  return {
    from: senderAddress(store.senderName ?? store.name, store.fromAddress),
    // The alert's Reply-To is the customer: support answers them with one click.
    ...(toStore && purchase.customer.email ? { replyTo: purchase.customer.email } : {}),
    ...(store.replyTo && !toStore ? { replyTo: store.replyTo } : {}),
    to,
    // renderEmail already made the subject one line; headerSafe would also turn French no-break spaces into spaces.
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    headers,
    tags: { store: store.id, sequence: run.sequence, step: step.key },
  };
}

/** The single-use code of this send when the offer uses a pool (the same code on a retry of the send). */
async function pooledCode({ run, step, store, now }: ComposeInput): Promise<string | undefined> {
  const offerSku = step.data?.offerSku;
  if (step.data?.codePool !== true || typeof offerSku !== 'string') return undefined;
  const send = { storeId: store.id, orderId: run.orderId, sequence: run.sequence, step: step.key };
  const code = await claimDiscountCode(send, offerSku, new Date(now).toISOString());
  gauge('DiscountCodesRemaining', await remainingDiscountCodes(store.id, offerSku), {
    store: store.id,
    offer: offerSku,
  });
  if (!code && store.discountCodes.whenPoolEmpty === 'skip') {
    throw new DiscountCodesExhaustedError(`the code pool of ${offerSku} is empty`);
  }
  return code;
}

/** The offer in the customer's language: its title, the store's code with what it gives, and a real expiry only. */
function offerVariables(
  data: NonNullable<PlannedStep['data']>,
  locale: Locale,
  formatLocale: string,
): NonNullable<EmailVariables['offer']> {
  const title = data[`offerTitle.${locale}`] ?? data.offerTitle;
  const code = typeof data.discountCode === 'string' ? data.discountCode : undefined;
  const percent = typeof data.discountPercent === 'number' ? data.discountPercent : undefined;
  return {
    title: String(title),
    ...(code ? { code } : {}),
    ...(code && percent
      ? { discount: new Intl.NumberFormat(formatLocale, { style: 'percent' }).format(percent / 100) }
      : {}),
    ...(code && typeof data.codeExpiresAt === 'string' ? { codeExpiresAt: data.codeExpiresAt } : {}),
    ...(typeof data.offerUrl === 'string' ? { url: data.offerUrl } : {}),
  };
}
