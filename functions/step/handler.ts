import * as z from 'zod';
import { SEQUENCES } from '../shared/domain/vocabulary.ts';
import { runStep, type StepInput, type StepResult } from './run-step.ts';

const wakeSchema = z.object({
  step: z.number().int().min(0),
  at: z.string(),
  hop: z.boolean().optional(),
  until: z.string().optional(),
  lifetime: z.boolean().optional(),
});

/** The workflow's Task input: the run (plan and wakes) and the wake this invocation is for. */
const stepInputSchema = z.object({
  state: z.looseObject({
    version: z.literal(2),
    storeId: z.string().min(1),
    orderId: z.string().min(1),
    sequence: z.enum(SEQUENCES),
    name: z.string().min(1),
    steps: z.array(z.looseObject({ key: z.string(), template: z.string(), at: z.string() })),
    wakes: z.array(wakeSchema),
    generation: z.number().int().min(0),
  }),
  wake: wakeSchema,
});

export async function handler(event: unknown): Promise<StepResult> {
  return runStep(stepInputSchema.parse(event) as unknown as StepInput);
}

/**
 * Compiles every template in every language once (MJML is the slow part). Lambda compiles lazily on first use;
 * the local cloud calls this while starting, before virtual time runs, like a warm container.
 */
export async function warm(): Promise<void> {
  const { LOCALES } = await import('../shared/domain/vocabulary.ts');
  const { renderEmail, sampleVariables, TEMPLATE_IDS } = await import('../shared/email/index.ts');
  for (const template of TEMPLATE_IDS) {
    for (const locale of LOCALES) {
      await renderEmail({ template, locale, timeZone: 'UTC', variables: sampleVariables() });
    }
  }
}
