import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '#shared/config/file.ts';
import type { AftercareConfig } from '#shared/config/schema.ts';
import { planSequence } from '#shared/domain/plan.ts';
import type { Purchase } from '#shared/domain/purchase.ts';
import { InvalidRunError, parseStepInput, type Run, runSchema } from '#shared/domain/run.ts';
import { isOffer } from '#shared/domain/step.ts';
import { planSurveyFollowUp } from '#shared/domain/survey.ts';
import { SEQUENCES } from '#shared/domain/vocabulary.ts';

const config: AftercareConfig = loadConfigFile();
const store = config.stores[0] as AftercareConfig['stores'][number];
const context = { config, store, now: Date.parse('2026-03-02T10:05:00Z') };
const line = (lineId: string, overrides: Partial<Purchase['lineItems'][number]>) => ({
  lineId,
  title: lineId,
  quantity: 1,
  price: '249.00',
  currency: 'EUR',
  tags: [],
  ...overrides,
});
// A vacuum cleaner (offer of bags) and a coffee machine (36-month warranty, descaling reminders): every step kind.
const purchase: Purchase = {
  storeId: 'demo',
  platform: 'generic',
  orderId: '1001',
  customer: { email: 'anna@example.com', timeZone: 'Europe/Amsterdam', marketingConsent: true },
  lineItems: [
    line('l1', { productType: 'Vacuum cleaner', sku: 'VAC-3000' }),
    line('l2', { productType: 'Espresso machine', tags: ['coffee'], sku: 'ESP-1' }),
  ],
  currency: 'EUR',
  purchasedAt: '2026-03-02T10:00:00Z',
  status: 'open',
  refundedLineIds: [],
};
const coffeeOnly: Purchase = { ...purchase, orderId: '1002', lineItems: purchase.lineItems.slice(1) };
const runs = [purchase, coffeeOnly]
  .flatMap((each) => SEQUENCES.map((sequence) => planSequence(sequence, each, context)))
  .filter((run): run is Run => run !== undefined);
const record = { storeId: 'demo', orderId: '1001', purchase };
const answers = planSurveyFollowUp(
  record,
  { kind: 'nps', score: 2 },
  { reviewUrl: 'https://x.example', reviewRequests: 'every-answer' },
  context.now,
);
/** The offer's every optional detail, as a store's rules can set them. */
function withEveryOfferDetail(run: Run): Run {
  const steps = run.steps.map((step) =>
    isOffer(step)
      ? {
          ...step,
          data: {
            ...step.data,
            'offerTitle.nl': 'Stofzakken',
            offerUrl: 'https://shop.example/bags',
            codePool: true,
            discountCode: 'BAGS10',
            discountPercent: 10,
            codeExpiresAt: '2026-12-31T23:00:00Z',
          },
        }
      : step,
  );
  return { ...run, steps };
}

describe('the run: one schema for the execution input', () => {
  it('keeps every planned step kind and detail as planned: the step function reads the plan the purchase has', () => {
    expect(runs.flatMap((run) => run.steps.map((step) => step.template))).toEqual(
      expect.arrayContaining(['follow-up/maintenance', 'warranty-reminder/reminder', 'upgrade-offer/offer']),
    );
    for (const run of [...runs.map(withEveryOfferDetail), ...answers]) expect(runSchema.parse(run)).toEqual(run);
  });

  it("keeps a parking wake's until and lifetime", () => {
    const [run] = runs as [Run];
    const wake = { step: 0, at: run.plannedAt, hop: true, until: '2027-03-01T10:00:00.000Z', lifetime: true };
    expect(parseStepInput({ state: { ...run, wakes: [wake] }, wake })).toEqual({
      state: { ...run, wakes: [wake] },
      wake,
    });
  });

  it('names the field when a step lacks a detail its kind needs, or has a kind there is no template for', () => {
    const warranty = runs.find((run) => run.sequence === 'warranty-reminder') as Run;
    const [step] = warranty.steps as [Run['steps'][number]];
    const noMonths = { ...warranty, steps: [{ ...step, data: {} }] };
    expect(() => parseStepInput({ state: noMonths, wake: { step: 0, at: step.at } })).toThrow(
      /^step input: state\.steps\.0\.data\.months: /,
    );
    const unknown = { ...warranty, steps: [{ ...step, template: 'warranty-reminder/extended' }] };
    expect(() => parseStepInput({ state: unknown, wake: { step: 0, at: step.at } })).toThrow(InvalidRunError);
    expect(() => parseStepInput({ state: unknown, wake: { step: 0, at: step.at } })).toThrow(
      /state\.steps\.0\.template/,
    );
    expect(() => parseStepInput({ state: warranty, wake: { at: step.at } })).toThrow(/^step input: wake\.step: /);
  });
});
