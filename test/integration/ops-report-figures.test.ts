import { describe, expect, it } from 'vitest';
import type { PurchaseRecord } from '../../functions/shared/domain/purchase-record.ts';
import type { Run } from '../../functions/shared/domain/run.ts';
import type { PlannedStep } from '../../functions/shared/domain/step.ts';
import type { StepDecision } from '../../functions/shared/store/decisions.ts';
import type { SurveyAnswer } from '../../functions/shared/store/surveys.ts';
import type { MessageRecord, PurchaseTrail } from '../../ops/data.ts';
import { aggregateReport, csatOf, npsOf, type ReportInput } from '../../ops/report/aggregate.ts';
import { renderHtml } from '../../ops/report/html.ts';

// The report's arithmetic on hand-made trails (pure functions: no cloud needed). The integration tests in
// ops-report.test.ts check the same figures on data the sequences really produced.
const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T10:00:00Z');
const iso = (days: number) => new Date(T0 + days * DAY).toISOString();

function record(
  orderId: string,
  customerKey: string,
  days: number,
  sku = 'VAC-3000',
  title = 'Vacuum',
): PurchaseRecord {
  return {
    storeId: 'demo',
    orderId,
    customerKey,
    status: 'open',
    refundedLineIds: [],
    version: 2,
    createdAt: iso(days),
    updatedAt: iso(days),
    purchase: {
      storeId: 'demo',
      platform: 'generic',
      orderId,
      customer: { email: `${customerKey}@example.com`, marketingConsent: true },
      lineItems: [{ lineId: `${orderId}-1`, sku, title, quantity: 1, price: '1.00', currency: 'EUR', tags: [] }],
      currency: 'EUR',
      purchasedAt: iso(days),
      status: 'open',
      refundedLineIds: [],
    },
  };
}

function decision(sequence: string, step: string, status: StepDecision['status'], extra: Partial<StepDecision> = {}) {
  return { storeId: 'demo', orderId: '', sequence, step, template: '', status, at: iso(0), history: [], ...extra };
}

const answer = (kind: 'nps' | 'csat', score: number): SurveyAnswer => ({
  storeId: 'demo',
  orderId: '',
  kind,
  score,
  answeredAt: iso(20),
  changes: [],
});

function input(trails: PurchaseTrail[], extra: Partial<ReportInput> = {}): ReportInput {
  return {
    storeId: 'demo',
    from: '2026-01-01',
    to: '2026-12-31',
    trails,
    messages: new Map(),
    customerPurchases: [],
    ...extra,
  };
}

describe('report figures', () => {
  it('counts NPS groups (9–10 promoters, 0–6 detractors) and CSAT (4–5 satisfied)', () => {
    const nps = npsOf([10, 9, 8, 6, 0].map((score) => answer('nps', score)));
    expect(nps).toEqual({ answers: 5, promoters: 2, passives: 1, detractors: 2, nps: 0 });
    expect(npsOf([9, 9, 9, 7].map((score) => answer('nps', score))).nps).toBe(75);
    expect(csatOf([5, 4, 2].map((score) => answer('csat', score)))).toEqual({
      answers: 3,
      satisfied: 2,
      csat: 67,
      average: 3.7,
    });
    expect(npsOf([]).nps).toBeUndefined();
  });

  it('reads delivery, bounce and complaint rates from the messages’ delivery states', () => {
    const states = ['delivered', 'delivered', 'complained', 'bounced', 'soft-bounced', 'sent'];
    // One more sent message than states: its MESSAGE item is missing.
    const decisions = Array.from({ length: states.length + 1 }, (_, i) =>
      decision('follow-up', `step-${i}`, 'sent', { messageId: `m-${i}` }),
    );
    const messages = new Map<string, MessageRecord>(
      states.map((state, i) => [
        `m-${i}`,
        { messageId: `m-${i}`, storeId: 'demo', orderId: 'o', sequence: 'follow-up', step: `step-${i}`, state },
      ]),
    );
    const report = aggregateReport(input([{ record: record('o', 'c', 0), decisions }], { messages }));
    expect(report.delivery).toEqual({
      sent: 7,
      delivered: 3,
      bounced: 1,
      complained: 1,
      failed: 1,
      pending: 1,
      unknown: 1,
    });
  });

  it('counts an offer as converted only when the same customer bought the offered SKU while the code was valid', () => {
    const offerStep = {
      key: 'offer-BAGS-10',
      data: { offerSku: 'BAGS-10', codeValidDays: 14 },
    } as unknown as PlannedStep;
    const withOffer = (orderId: string, customerKey: string): PurchaseTrail => ({
      record: {
        ...record(orderId, customerKey, 0),
        sequences: { 'upgrade-offer': { steps: [offerStep] } as unknown as Run },
      },
      decisions: [decision('upgrade-offer', 'offer-BAGS-10', 'sent', { at: iso(93) })],
    });
    const report = aggregateReport(
      input([withOffer('a', 'anna'), withOffer('b', 'ben'), withOffer('c', 'cleo')], {
        customerPurchases: [
          record('a2', 'anna', 100, 'BAGS-10'), // within 14 days: converted
          record('b2', 'ben', 110, 'BAGS-10'), // 17 days later: too late for the code
          record('c2', 'cleo', 95, 'KET-CL'), // something else
        ],
      }),
    );
    expect(report.offers).toEqual([{ sku: 'BAGS-10', sent: 3, converted: 1 }]);
  });

  it('groups skips by reason per sequence, and figures by product and by month of purchase', () => {
    const trails: PurchaseTrail[] = [
      {
        record: record('1', 'a', 0, 'VAC-3000', 'Vacuum'),
        decisions: [
          decision('follow-up', 'thanks', 'sent', { messageId: 'x' }),
          decision('follow-up', 'check-in', 'skipped', { reason: 'unsubscribed' }),
          decision('satisfaction-survey', 'ask', 'sent', { messageId: 'y' }),
        ],
        survey: answer('nps', 10),
      },
      {
        record: record('2', 'b', 40, 'ESP-1', 'Espresso'),
        decisions: [
          decision('follow-up', 'thanks', 'skipped', { reason: 'too-late' }),
          decision('follow-up', 'check-in', 'skipped', { reason: 'too-late' }),
          decision('satisfaction-survey', 'ask', 'postponed', { reason: 'quiet-hours' }),
        ],
      },
    ];
    const report = aggregateReport(input(trails));
    expect(report.sequences[0]).toEqual({
      sequence: 'follow-up',
      sent: 1,
      skipped: { unsubscribed: 1, 'too-late': 2 },
      postponed: 0,
      failed: 0,
      planned: 0,
    });
    expect(report.sequences[1]?.postponed).toBe(1);
    expect(report.surveys).toEqual({ asked: 1, answered: 1 });
    expect(report.funnel).toEqual({ purchases: 2, emailed: 1, asked: 1, answered: 1 });
    expect(report.byMonth.map((m) => [m.key, m.purchases, m.emailsSent, m.nps.nps])).toEqual([
      ['2026-03', 1, 2, 100],
      ['2026-04', 1, 0, undefined],
    ]);
    expect(report.byProduct.map((p) => [p.key, p.answers])).toEqual([
      ['Espresso', 0],
      ['Vacuum', 1],
    ]);
    const html = renderHtml(report, iso(0));
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|(src|href)="https?:/);
  });
});
