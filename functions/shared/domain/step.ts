import * as z from 'zod';
import { CATEGORIES, LOCALES, type Locale } from './vocabulary.ts';

/** Unsubscribe categories' type; `service` mail (answers to the customer, alerts to the store) has none of its own. */
export const categorySchema = z.enum([...CATEGORIES, 'service']);
export type Category = z.infer<typeof categorySchema>;

/**
 * A step's deadline: after it the email is skipped as `stale`, never sent late. Planned with the step (it travels
 * in the plan), relative to the due time so a delivery date that moves the step moves its deadline too.
 */
export const deadlineSchema = z.object({
  /** How long after its due time the step may still go out. */
  afterDueMs: z.number(),
  /** A fixed last moment too (an offer code's expiry), ISO. */
  notAfter: z.string().optional(),
  /** Which deadline this is, in words for the why trail. */
  why: z.string(),
});
export type Deadline = z.infer<typeof deadlineSchema>;

/** What every step carries, whatever its kind. */
const stepFields = {
  /** Unique within the sequence: thanks, check-in, maintenance-1, ask, reminder, warranty-<months>m, offer-<sku>… */
  key: z.string().min(1),
  category: categorySchema,
  /** Who receives it: the customer, or the store's support address. */
  to: z.enum(['customer', 'store']),
  /** Counted from delivery (re-planned when the real delivery date arrives) or from the purchase. */
  anchor: z.enum(['delivery', 'purchase', 'none']),
  offsetMs: z.number(),
  /** Planned send time (anchor estimate + offset, moved into the sending window). */
  at: z.string(),
  /** Line items this step is about: when all of them are refunded the step is skipped. */
  lineIds: z.array(z.string()),
  /** Already past its time (beyond the grace period) when the purchase arrived: skipped, never sent late. */
  late: z.boolean().optional(),
  /** After this it is skipped as stale (plans made before deadlines existed have none: `STALE_AFTER`). */
  deadline: deadlineSchema.optional(),
};

const scale = z.enum(['nps', 'csat']);
/** The offer's title per language, flat (`offerTitle.nl`): plan data holds only scalars. */
const offerTitles = Object.fromEntries(LOCALES.map((locale) => [`offerTitle.${locale}`, z.string().optional()])) as {
  [Key in `offerTitle.${Locale}`]: z.ZodOptional<z.ZodString>;
};

/** One planned email of a run: `template` (`<sequence>/<template>`) says which, and what its details (`data`) hold. */
export const plannedStepSchema = z.discriminatedUnion('template', [
  z.object({ ...stepFields, template: z.enum(['follow-up/thanks', 'follow-up/check-in']) }),
  z.object({ ...stepFields, template: z.literal('follow-up/maintenance'), data: z.object({ number: z.number() }) }),
  z.object({
    ...stepFields,
    template: z.enum(['satisfaction-survey/ask', 'satisfaction-survey/reminder']),
    /** `closesAfterMs`: the survey link's lifetime, counted from the ask's due time. */
    data: z.object({ kind: scale, closesAfterMs: z.number() }),
  }),
  z.object({
    ...stepFields,
    template: z.enum([
      'satisfaction-survey/detractor-alert',
      'satisfaction-survey/sorry',
      'satisfaction-survey/review-request',
    ]),
    data: z.object({ kind: scale }),
  }),
  z.object({
    ...stepFields,
    template: z.literal('warranty-reminder/reminder'),
    data: z.object({ months: z.number() }),
  }),
  z.object({
    ...stepFields,
    template: z.literal('upgrade-offer/offer'),
    data: z.object({
      offerSku: z.string(),
      offerTitle: z.string(),
      ...offerTitles,
      offerUrl: z.string().optional(),
      /** Each email claims its own single-use code (discountCode unused). */
      codePool: z.boolean().optional(),
      discountCode: z.string().optional(),
      discountPercent: z.number().optional(),
      codeExpiresAt: z.string().optional(),
      codeValidDays: z.number(),
    }),
  }),
]);
export type PlannedStep = z.infer<typeof plannedStepSchema>;

/** A step of one template (or several), its details typed: `StepOf<'warranty-reminder/reminder'>['data']['months']`. */
export type StepOf<Template extends PlannedStep['template']> = Extract<PlannedStep, { template: Template }>;
export type SurveyQuestion = StepOf<'satisfaction-survey/ask' | 'satisfaction-survey/reminder'>;
export type OfferStep = StepOf<'upgrade-offer/offer'>;
export type WarrantyStep = StepOf<'warranty-reminder/reminder'>;
export type MaintenanceStep = StepOf<'follow-up/maintenance'>;

/** Every step of the survey sequence: each carries the scale (`data.kind`) its survey is on. */
export type SurveyStep = StepOf<
  | 'satisfaction-survey/ask'
  | 'satisfaction-survey/reminder'
  | 'satisfaction-survey/detractor-alert'
  | 'satisfaction-survey/sorry'
  | 'satisfaction-survey/review-request'
>;

export function isSurveyStep(step: PlannedStep): step is SurveyStep {
  return step.template.startsWith('satisfaction-survey/');
}

/** The survey's question and its reminder (the steps that carry survey links). */
export function isSurveyQuestion(step: PlannedStep): step is SurveyQuestion {
  return step.template === 'satisfaction-survey/ask' || step.template === 'satisfaction-survey/reminder';
}

export function isOffer(step: PlannedStep): step is OfferStep {
  return step.template === 'upgrade-offer/offer';
}

export function isWarranty(step: PlannedStep): step is WarrantyStep {
  return step.template === 'warranty-reminder/reminder';
}

export function isMaintenance(step: PlannedStep): step is MaintenanceStep {
  return step.template === 'follow-up/maintenance';
}
