import { describe, expect, it } from 'vitest';
import type { Purchase } from '#shared/domain/purchase.ts';
import { ANSWER_SETTLE_MS, answerGroup, planSurveyFollowUp, REVIEW_AFTER_DETRACTOR_MS } from '#shared/domain/survey.ts';

const now = Date.parse('2026-03-20T09:30:00.000Z');
const purchase = {
  storeId: 'demo',
  orderId: '1001',
  lineItems: [{ lineId: 'l1' }, { lineId: 'l2' }],
} as Purchase;
const record = { storeId: 'demo', orderId: '1001', purchase };
const reviews = { reviewUrl: 'https://example.com/review', reviewRequests: 'every-answer' as const };

describe('survey answers and what follows them', () => {
  it('groups NPS 0–6 as detractors and 9–10 as promoters, CSAT 1–2 and 5', () => {
    const nps = Array.from({ length: 11 }, (_, score) => answerGroup({ kind: 'nps', score }));
    expect(nps).toEqual([...Array(7).fill('detractor'), 'passive', 'passive', 'promoter', 'promoter']);
    const csat = [1, 2, 3, 4, 5].map((score) => answerGroup({ kind: 'csat', score }));
    expect(csat).toEqual(['detractor', 'detractor', 'passive', 'passive', 'promoter']);
  });

  it('alerts the store and says sorry to a detractor after the comment has had time, and asks for a review a week on', () => {
    const runs = planSurveyFollowUp(record, { kind: 'nps', score: 3 }, reviews, now);
    expect(runs.map((run) => [run.name.slice(-10), run.steps.map((step) => [step.key, step.to, step.at])])).toEqual([
      [
        '-detractor',
        [
          ['detractor-alert', 'store', new Date(now + ANSWER_SETTLE_MS).toISOString()],
          ['sorry', 'customer', new Date(now + ANSWER_SETTLE_MS).toISOString()],
        ],
      ],
      ['-ss-review', [['review-request', 'customer', new Date(now + REVIEW_AFTER_DETRACTOR_MS).toISOString()]]],
    ]);
    expect(runs[0]?.wakes).toEqual([
      { step: 0, at: new Date(now + ANSWER_SETTLE_MS).toISOString() },
      { step: 1, at: new Date(now + ANSWER_SETTLE_MS).toISOString() },
    ]);
  });

  it('asks a promoter and a passive for a review at once, about every line, and alerts nobody', () => {
    for (const score of [7, 10]) {
      const runs = planSurveyFollowUp(record, { kind: 'nps', score }, reviews, now);
      expect(runs).toHaveLength(1);
      expect(runs[0]?.steps).toMatchObject([
        { key: 'review-request', at: new Date(now).toISOString(), lineIds: ['l1', 'l2'], category: 'surveys' },
      ]);
    }
  });

  it('asks for no review where the store has no review page or turned review requests off', () => {
    expect(planSurveyFollowUp(record, { kind: 'csat', score: 5 }, { reviewRequests: 'every-answer' }, now)).toEqual([]);
    const off = { ...reviews, reviewRequests: 'off' as const };
    expect(planSurveyFollowUp(record, { kind: 'csat', score: 1 }, off, now).map((run) => run.name.slice(-10))).toEqual([
      '-detractor',
    ]);
  });
});
