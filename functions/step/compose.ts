import type { StoreConfig } from '../shared/config/schema.ts';
import { customerTimeZone } from '../shared/domain/plan.ts';
import type { Purchase } from '../shared/domain/purchase.ts';
import type { Run } from '../shared/domain/run.ts';
import { DAY } from '../shared/domain/schedule.ts';
import {
  isMaintenance,
  isOffer,
  isSurveyQuestion,
  isSurveyStep,
  isWarranty,
  type OfferStep,
  type PlannedStep,
  type SurveyQuestion,
  type WarrantyStep,
} from '../shared/domain/step.ts';
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
  run: Run;
  step: PlannedStep;
  purchase: Purchase;
  customerKey: string;
  store: StoreConfig;
  survey: SurveyAnswer | undefined;
  dueAt: number;
  now: number;
}

/** Who the email is for, and so its language, formats, time zone and whether it is marketing. */
interface Audience {
  toStore: boolean;
  locale: Locale;
  formatLocale: string;
  timeZone: string;
  marketing: boolean;
}

/** Builds the email of one step: recipient, localised content, signed links and the Aftercare headers. */
export async function composeEmail(input: ComposeInput): Promise<OutgoingEmail> {
  const { run, step, store } = input;
  const audience = audienceOf(input);
  const links = await emailLinks(input, audience.toStore);
  const variables: EmailVariables = {
    ...baseVariables(input, links),
    ...(run.sequence === 'satisfaction-survey' ? { survey: surveyVariables(input, audience.toStore) } : {}),
    ...(isWarranty(step) ? { warranty: warrantyVariables(step, input.dueAt) } : {}),
    ...(isOffer(step) ? { offer: await offerOf(input, step, audience) } : {}),
    ...(isMaintenance(step) ? { maintenance: { number: step.data.number } } : {}),
  };
  const template = step.template as TemplateId;
  const rendered = await renderEmail({
    template,
    locale: audience.locale,
    timeZone: audience.timeZone,
    variables,
    override: store.templates?.[template],
    formatLocale: audience.formatLocale,
  });
  return {
    ...envelope(input, audience.toStore),
    // renderEmail already made the subject one line; headerSafe would also turn French no-break spaces into spaces.
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    headers: emailHeaders(input, audience.marketing ? links.unsubscribe : undefined),
    tags: { store: store.id, sequence: run.sequence, step: step.key },
  };
}

function audienceOf({ step, purchase, store }: ComposeInput): Audience {
  const toStore = step.to === 'store';
  const customerLocale = purchase.customer.locale;
  const locale = toStore ? store.defaultLocale : pickLocale(customerLocale, store.defaultLocale);
  return {
    toStore,
    locale,
    formatLocale: toStore ? locale : formattingLocale(customerLocale, locale),
    timeZone: toStore ? store.timeZone : customerTimeZone(purchase, store),
    marketing: !toStore && isMarketing(step.template as TemplateId),
  };
}

function publicUrl(): string {
  return environment().AFTERCARE_PUBLIC_URL.replace(/\/$/, '');
}

/** The email's links: unsubscribe (customers only), the survey's scores, review, offer and support. */
async function emailLinks(input: ComposeInput, toStore: boolean): Promise<EmailVariables['links']> {
  const { step, store } = input;
  const links: EmailVariables['links'] = {};
  // The unsubscribe page is also where categories are chosen: one link, not the same link twice.
  if (!toStore) links.unsubscribe = await unsubscribeLink(input);
  if (isSurveyQuestion(step)) links.survey = await surveyLinks(input, step);
  if (store.reviewUrl) links.review = store.reviewUrl;
  if (isOffer(step) && step.data.offerUrl) links.offer = step.data.offerUrl;
  links.support = store.helpUrl ?? `mailto:${store.supportEmail}`;
  return links;
}

async function unsubscribeLink({ store, purchase, customerKey, now }: ComposeInput): Promise<string> {
  const token = await createToken({
    p: 'unsubscribe',
    s: store.id,
    o: purchase.orderId,
    c: customerKey,
    e: Math.floor((now + 400 * DAY) / 1000),
  });
  return `${publicUrl()}/u/${token}`;
}

/** One link per score, open until the survey closes (at least a day from now). */
async function surveyLinks({ store, purchase, customerKey, dueAt, now }: ComposeInput, step: SurveyQuestion) {
  const closesAt = dueAt - step.offsetMs + step.data.closesAfterMs;
  const token = await createToken({
    p: 'survey',
    s: store.id,
    o: purchase.orderId,
    c: customerKey,
    e: Math.floor(Math.max(closesAt, now + DAY) / 1000),
  });
  const scores = step.data.kind === 'csat' ? [1, 2, 3, 4, 5] : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  return scores.map((score) => ({ score, url: `${publicUrl()}/s/${token}?score=${score}` }));
}

function surveyKind(step: PlannedStep): 'nps' | 'csat' {
  return isSurveyStep(step) ? step.data.kind : 'nps';
}

/** What every template may use: the customer's first name, the store, the order and its relevant lines. */
function baseVariables({ step, purchase, store }: ComposeInput, links: EmailVariables['links']): EmailVariables {
  const relevantItems = purchase.lineItems.filter(
    (item) => step.lineIds.length === 0 || step.lineIds.includes(item.lineId),
  );
  return {
    customer: { ...(purchase.customer.firstName ? { firstName: purchase.customer.firstName } : {}) },
    store: storeVariables(store),
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
}

function storeVariables(store: StoreConfig): EmailVariables['store'] {
  return {
    name: store.name,
    brandColor: store.brandColor,
    supportEmail: store.supportEmail,
    ...(store.logoUrl ? { logoUrl: store.logoUrl } : {}),
    ...(store.logoWidth ? { logoWidth: store.logoWidth } : {}),
    ...(store.reviewUrl ? { reviewUrl: store.reviewUrl } : {}),
    ...(store.helpUrl ? { helpUrl: store.helpUrl } : {}),
    ...(store.postalAddress ? { postalAddress: store.postalAddress } : {}),
    ...(store.legalLine ? { legalLine: store.legalLine } : {}),
  };
}

/** The survey's kind and the customer's answer; the store's alert also names the customer. */
function surveyVariables({ step, purchase, survey }: ComposeInput, toStore: boolean): EmailVariables['survey'] {
  const { email, firstName } = purchase.customer;
  return {
    kind: survey?.kind ?? surveyKind(step),
    ...(survey ? { score: survey.score } : {}),
    ...(survey?.comment ? { comment: survey.comment } : {}),
    ...(toStore && email ? { customerEmail: email } : {}),
    ...(toStore && firstName ? { customerName: firstName } : {}),
  };
}

function warrantyVariables(step: WarrantyStep, dueAt: number): EmailVariables['warranty'] {
  return { months: step.data.months, endsAt: new Date(dueAt - step.offsetMs).toISOString() };
}

/** The offer with its pool's single-use code when it has one. */
async function offerOf(input: ComposeInput, step: OfferStep, audience: Audience): Promise<EmailVariables['offer']> {
  const data = step.data;
  const code = await pooledCode(input, step);
  const offer = offerVariables(code ? { ...data, discountCode: code } : data, audience.locale, audience.formatLocale);
  return code ? { ...offer, singleUse: true } : offer;
}

function emailHeaders({ run, step }: ComposeInput, unsubscribe: string | undefined) {
  const headers = [
    { name: 'X-Aftercare-Sequence', value: run.sequence },
    { name: 'X-Aftercare-Step', value: headerSafe(step.key) },
  ];
  if (unsubscribe) {
    headers.push({ name: 'List-Unsubscribe', value: `<${unsubscribe}>` });
    headers.push({ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' });
  }
  return headers;
}

/** From, To and Reply-To: the store's alert goes to its support address with the customer to reply to. */
function envelope({ purchase, store }: ComposeInput, toStore: boolean): Pick<OutgoingEmail, 'from' | 'to' | 'replyTo'> {
  const customerEmail = purchase.customer.email;
  const to = toStore ? store.supportEmail : customerEmail;
  if (!to) throw new Error('no recipient');
  const replyTo = toStore ? customerEmail : store.replyTo;
  return {
    from: senderAddress(store.senderName ?? store.name, store.fromAddress),
    // The alert's Reply-To is the customer: support answers them with one click.
    ...(replyTo ? { replyTo } : {}),
    to,
  };
}

/** The single-use code of this send when the offer uses a pool (the same code on a retry of the send). */
async function pooledCode({ run, store, now }: ComposeInput, step: OfferStep): Promise<string | undefined> {
  if (step.data.codePool !== true) return undefined;
  const offerSku = step.data.offerSku;
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
  data: OfferStep['data'],
  locale: Locale,
  formatLocale: string,
): NonNullable<EmailVariables['offer']> {
  const title = data[`offerTitle.${locale}`] ?? data.offerTitle;
  const code = data.discountCode;
  const percent = data.discountPercent;
  return {
    title: String(title),
    ...(code ? { code } : {}),
    ...(code && percent
      ? { discount: new Intl.NumberFormat(formatLocale, { style: 'percent' }).format(percent / 100) }
      : {}),
    ...(code && data.codeExpiresAt ? { codeExpiresAt: data.codeExpiresAt } : {}),
    ...(data.offerUrl ? { url: data.offerUrl } : {}),
  };
}
