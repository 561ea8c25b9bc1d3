import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { nowIso } from '../shared/clock.ts';
import type { PurchaseRecord } from '../shared/domain/purchase-record.ts';
import { isSurveyQuestion } from '../shared/domain/step.ts';
import { count } from '../shared/metrics.ts';
import {
  assertPostedFromOurPage,
  csrfToken,
  gone,
  type Link,
  type LinkContext,
  linkContext,
  openLink,
  type Page,
  readForm,
  type SurveyKind,
} from '../shared/pages/index.ts';
import { startSurveyFollowUp } from '../shared/sequences.ts';
import { getSurveyAnswer, putSurveyAnswer, type SurveyAnswer } from '../shared/store/surveys.ts';
import { type SurveyView, scoresOf, surveyPage } from './page.ts';

export const MAX_COMMENT_CHARS = 2000;
/** Earlier scores kept per answer: enough to see a change of mind, not a list anyone can grow without end. */
export const MAX_SCORE_CHANGES = 10;

function scoreSchema(kind: SurveyKind) {
  const scores = scoresOf(kind);
  return z
    .string()
    .regex(/^\d{1,2}$/)
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(scores[0] ?? 0)
        .max(scores.at(-1) ?? 10),
    );
}

function answerSchema(kind: SurveyKind) {
  return z.object({
    score: scoreSchema(kind),
    // Browsers send line breaks as CRLF; count them as the textarea did, as one character.
    comment: z
      .string()
      .transform((text) => text.replace(/\r\n?/g, '\n').trim())
      .pipe(z.string().max(MAX_COMMENT_CHARS))
      .optional(),
  });
}

/** The earlier scores to keep once `score` is given: the previous one added when it differs, the latest ten. */
export function changesAfter(previous: SurveyAnswer | undefined, score: number): SurveyAnswer['changes'] {
  if (!previous || previous.score === score) return previous?.changes ?? [];
  return [...previous.changes, { score: previous.score, at: previous.answeredAt }].slice(-MAX_SCORE_CHANGES);
}

/** NPS unless the purchase's survey plan says CSAT. */
export function surveyKind(record: PurchaseRecord): SurveyKind {
  const steps = record.sequences?.['satisfaction-survey']?.steps ?? [];
  return steps.find(isSurveyQuestion)?.data.kind === 'csat' ? 'csat' : 'nps';
}

interface Survey {
  link: Link;
  context: LinkContext & { record: PurchaseRecord; brand: NonNullable<LinkContext['brand']> };
  previous: SurveyAnswer | undefined;
  kind: SurveyKind;
  view: Pick<SurveyView, 'token' | 'csrf' | 'locale' | 'brand' | 'kind'>;
}

async function openSurvey(event: APIGatewayProxyEventV2): Promise<Survey> {
  const link = await openLink(event, 'survey');
  const context = await linkContext(link.payload);
  const { record, brand } = context;
  if (!record || !brand) throw gone(context);
  const previous = await getSurveyAnswer(record.storeId, record.orderId);
  const kind = previous?.kind ?? surveyKind(record);
  const csrf = await csrfToken(link.token, 'survey');
  return {
    link,
    context: { ...context, record, brand },
    previous,
    kind,
    view: { token: link.token, csrf, locale: context.locale, brand, kind },
  };
}

/** GET /s/{token}?score=N: shows the question with that score selected. Never records anything, whatever runs it. */
export async function showSurvey(event: APIGatewayProxyEventV2): Promise<Page> {
  const { previous, kind, view } = await openSurvey(event);
  const parsed = scoreSchema(kind).safeParse(event.queryStringParameters?.score);
  const fromLink = parsed.success ? parsed.data : undefined;
  return surveyPage({
    ...view,
    state: previous ? 'answered' : 'ask',
    selected: fromLink ?? previous?.score,
    comment: previous?.comment,
    fromLink: fromLink !== undefined && fromLink !== previous?.score,
  });
}

/** POST /s/{token}: stores the answer (earlier scores kept in `changes`) and starts the follow-up at once. */
export async function answerSurvey(event: APIGatewayProxyEventV2): Promise<Page> {
  const { link, context, previous, kind, view } = await openSurvey(event);
  const fields = readForm(event);
  await assertPostedFromOurPage(event, fields, link.token, 'survey');
  const parsed = answerSchema(kind).safeParse({
    score: fields.get('score') ?? undefined,
    comment: fields.get('comment') ?? undefined,
  });
  if (!parsed.success) {
    const invalid = new Set(parsed.error.issues.map((issue) => issue.path[0]));
    const score = scoreSchema(kind).safeParse(fields.get('score') ?? undefined);
    return surveyPage({
      ...view,
      status: 400,
      state: previous ? 'answered' : 'ask',
      selected: score.success ? score.data : undefined,
      comment: fields.get('comment') ?? undefined,
      errors: { score: invalid.has('score'), comment: invalid.has('comment') },
    });
  }
  const { score, comment } = parsed.data;
  const { record } = context;
  const at = nowIso();
  const changed = previous !== undefined && previous.score !== score;
  const answer: SurveyAnswer = {
    storeId: record.storeId,
    orderId: record.orderId,
    kind,
    score,
    ...(comment ? { comment } : {}),
    answeredAt: previous && !changed ? previous.answeredAt : at,
    changes: changesAfter(previous, score),
    ...(record.purchase ? { purchasedAt: record.purchase.purchasedAt } : {}),
    ...(record.purchase ? { productTitles: record.purchase.lineItems.map((item) => item.title) } : {}),
  };
  await putSurveyAnswer(answer);
  count('SurveyAnswers', { kind: answer.kind });
  await startSurveyFollowUp(record, answer);
  return surveyPage({ ...view, state: 'saved', selected: score, comment });
}
