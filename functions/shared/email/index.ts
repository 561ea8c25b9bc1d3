/**
 * Localised, responsive emails: MJML layout + Liquid copy in en, nl, es, de and fr.
 * `renderEmail` and `checkTemplateOverrides` are async (MJML 5 compiles asynchronously; results are cached).
 */
export { formattingLocale, pickLocale } from './locale.ts';
export { checkTemplateOverrides } from './overrides.ts';
export { renderEmail } from './render.ts';
export { minimalVariables, sampleVariables } from './sample.ts';
export {
  type EmailVariables,
  isMarketing,
  type RenderedEmail,
  TEMPLATE_IDS,
  TEMPLATE_PURPOSES,
  TemplateError,
  type TemplateId,
  type TemplateOverride,
  type TemplatePart,
} from './types.ts';
