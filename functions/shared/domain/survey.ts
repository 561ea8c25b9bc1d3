import type { StoreConfig } from '../config/schema.ts';
import { executionName, wakesFrom } from './plan.ts';
import type { Purchase } from './purchase.ts';
import type { PurchaseRecord } from './purchase-record.ts';
import type { Run } from './run.ts';
import { DAY } from './schedule.ts';
import type { PlannedStep } from './step.ts';

/** A survey answer as the rules need it: which scale, and the score given on it. */
export interface Score {
  kind: 'nps' | 'csat';
  score: number;
}

export type AnswerGroup = 'detractor' | 'passive' | 'promoter';

/** Detractor: 0–6 (NPS) or 1–2 (CSAT). Promoter: 9–10 (NPS) or 5 (CSAT). */
export function answerGroup(answer: Score): AnswerGroup {
  if (answer.kind === 'nps') return answer.score <= 6 ? 'detractor' : answer.score >= 9 ? 'promoter' : 'passive';
  return answer.score <= 2 ? 'detractor' : answer.score >= 5 ? 'promoter' : 'passive';
}

/**
 * The page records the clicked score at once; a comment often follows within minutes. The alert waits a little so
 * it carries the comment (the step reads the latest answer when it sends).
 */
export const ANSWER_SETTLE_MS = 15 * 60_000;
/** A detractor is asked for a review too (no gating), but only once support has had a week to put things right. */
export const REVIEW_AFTER_DETRACTOR_MS = 7 * DAY;

/**
 * The runs a recorded answer calls for, planned at `now`: a detractor gets the alert to the store's support address
 * and a "sorry, we're on it" email. Every customer who answered — whatever the score, as Google's and Trustpilot's
 * review policies and the FTC's rule on reviews require — gets one review request (`reviewRequests`), a
 * detractor's a week later. One run per purchase and purpose (the name's suffix), so a changed answer repeats none.
 */
export function planSurveyFollowUp(
  record: Pick<PurchaseRecord, 'storeId' | 'orderId'> & { purchase: Purchase },
  answer: Score,
  store: Pick<StoreConfig, 'reviewUrl' | 'reviewRequests'>,
  now: number,
): Run[] {
  const group = answerGroup(answer);
  const lineIds = record.purchase.lineItems.map((item) => item.lineId);
  const base = { anchor: 'none' as const, offsetMs: 0, lineIds, data: { kind: answer.kind } };
  const run = (suffix: string, at: number, steps: PlannedStep[]): Run => ({
    version: 2,
    storeId: record.storeId,
    orderId: record.orderId,
    sequence: 'satisfaction-survey',
    name: executionName(record.storeId, record.orderId, 'satisfaction-survey', suffix),
    plannedAt: new Date(at).toISOString(),
    steps,
    wakes: wakesFrom(steps, 0, now),
    generation: 0,
  });
  const runs: Run[] = [];
  if (group === 'detractor') {
    const at = new Date(now + ANSWER_SETTLE_MS).toISOString();
    runs.push(
      run('-detractor', now + ANSWER_SETTLE_MS, [
        {
          ...base,
          at,
          key: 'detractor-alert',
          template: 'satisfaction-survey/detractor-alert',
          category: 'service',
          to: 'store',
        },
        { ...base, at, key: 'sorry', template: 'satisfaction-survey/sorry', category: 'service', to: 'customer' },
      ]),
    );
  }
  if (store.reviewUrl && store.reviewRequests === 'every-answer') {
    const reviewAt = now + (group === 'detractor' ? REVIEW_AFTER_DETRACTOR_MS : 0);
    runs.push(
      run('-review', reviewAt, [
        {
          ...base,
          at: new Date(reviewAt).toISOString(),
          key: 'review-request',
          template: 'satisfaction-survey/review-request',
          category: 'surveys',
          to: 'customer',
        },
      ]),
    );
  }
  return runs;
}
