import { describe, expect, it } from 'vitest';
import type { SurveyAnswer } from '../../functions/shared/store/surveys.ts';
import { changesAfter, MAX_SCORE_CHANGES } from '../../functions/survey/survey.ts';

const first: SurveyAnswer = {
  storeId: 'demo',
  orderId: '1001',
  kind: 'nps',
  score: 0,
  answeredAt: '2026-12-01T10:00:00.000Z',
  changes: [],
};

describe('survey answers changed again and again', () => {
  it('keep the latest ten earlier scores, so the stored answer cannot grow without end', () => {
    // Prepare
    let answer = first;

    // Act: a thousand changes of mind, alternating 0 and 10
    for (let change = 1; change <= 1000; change += 1) {
      const score = change % 2 === 0 ? 0 : 10;
      const at = new Date(Date.parse(first.answeredAt) + change * 1000).toISOString();
      answer = { ...answer, score, answeredAt: at, changes: changesAfter(answer, score) };
    }

    // Assess
    expect(answer.changes).toHaveLength(MAX_SCORE_CHANGES);
    expect(MAX_SCORE_CHANGES).toBe(10);
    expect(answer.changes.at(-1)).toEqual({
      score: 10,
      at: new Date(Date.parse(first.answeredAt) + 999_000).toISOString(),
    });
  });

  it('keep every earlier score while there are few, and add none when the score is sent again', () => {
    // Prepare
    const changed = { ...first, score: 7, changes: changesAfter(first, 7) };

    // Act
    const same = changesAfter(changed, 7);

    // Assess
    expect(changed.changes).toEqual([{ score: 0, at: first.answeredAt }]);
    expect(same).toEqual(changed.changes);
  });
});
