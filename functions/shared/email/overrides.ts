import { LOCALES } from '../domain/vocabulary.ts';
import { renderEmail } from './render.ts';
import { minimalVariables, sampleVariables } from './sample.ts';
import {
  isTemplateId,
  TEMPLATE_IDS,
  TemplateError,
  type TemplateId,
  type TemplateOverride,
  type TemplatePart,
} from './types.ts';

const PARTS: readonly TemplatePart[] = ['subject', 'preheader', 'mjml', 'text'];

/**
 * Rejects a bad override when configuration is loaded rather than at send time: unknown template or part,
 * Liquid syntax, unknown variables or filters (anywhere, not only in branches taken), invalid MJML, and a
 * trial render in every language with full and with minimal sample data.
 */
export async function checkTemplateOverrides(overrides: Record<string, TemplateOverride>): Promise<void> {
  for (const [template, override] of Object.entries(overrides)) {
    checkOverrideShape(template, override);
    for (const locale of LOCALES) {
      for (const variables of [sampleVariables(), minimalVariables(template)]) {
        await renderEmail({ template, locale, timeZone: 'UTC', variables, override });
      }
    }
  }
}

/** A known template, known parts, each a non-empty string: else a TemplateError naming the template and part. */
function checkOverrideShape(template: string, override: TemplateOverride): asserts template is TemplateId {
  if (!isTemplateId(template)) {
    throw new TemplateError(template, 'template', `unknown template; expected one of ${TEMPLATE_IDS.join(', ')}`);
  }
  for (const [part, source] of Object.entries(override) as [TemplatePart, unknown][]) {
    if (!PARTS.includes(part)) {
      throw new TemplateError(template, 'template', `unknown part "${part}"; expected ${PARTS.join(', ')}`);
    }
    if (typeof source !== 'string' || source.trim() === '') {
      throw new TemplateError(template, part, 'must be a non-empty string');
    }
  }
}
