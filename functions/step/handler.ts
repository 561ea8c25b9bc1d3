import { parseStepInput } from '../shared/domain/run.ts';
import { runStep, type StepResult } from './run-step.ts';

/** The workflow's Task input (the run and the wake this invocation is for), parsed: the error names the field. */
export async function handler(event: unknown): Promise<StepResult> {
  return runStep(parseStepInput(event));
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
