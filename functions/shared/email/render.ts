import type { Template } from 'liquidjs';
import { LOCALES, type Locale } from '../domain/vocabulary.ts';
import { compiledMjml, parsedText } from './compile.ts';
import { builtInContent, mjmlDocument, textDocument, tidyText } from './layout.ts';
import { type FormatSettings, headerLine, htmlLiquid, renderLiquid, textLiquid } from './liquid.ts';
import { emailScope } from './scope.ts';
import { COMMON } from './templates/common.ts';
import { TEMPLATES } from './templates/index.ts';
import {
  type EmailVariables,
  isTemplateId,
  type RenderedEmail,
  TemplateError,
  type TemplateId,
  type TemplateOverride,
  type TemplatePart,
} from './types.ts';

interface Sources {
  subject: string;
  preheader: string;
  /** The whole MJML document and the content inside it (what an override replaces). */
  mjml: { document: string; content: string };
  text: string;
}

const builtIn = new Map<string, { mjml: string; text: string }>();

function sources(template: TemplateId, locale: Locale, override: TemplateOverride | undefined): Sources {
  const copy = TEMPLATES[template].copy[locale];
  const common = COMMON[locale];
  const key = `${template}\0${locale}`;
  let content = builtIn.get(key);
  if (!content) {
    content = builtInContent(copy, common);
    builtIn.set(key, content);
  }
  const mjmlContent = override?.mjml ?? content.mjml;
  return {
    subject: override?.subject ?? copy.subject,
    preheader: override?.preheader ?? copy.preheader,
    mjml: { document: mjmlDocument(locale, mjmlContent, copy, common), content: mjmlContent },
    text: textDocument(override?.text ?? content.text, copy, common),
  };
}

const knownTimeZones = new Set<string>();

function checkArguments(template: TemplateId, locale: Locale, timeZone: string): void {
  if (!isTemplateId(template)) throw new TemplateError(String(template), 'template', 'unknown template');
  if (!LOCALES.includes(locale)) throw new TemplateError(template, 'variables', `unsupported locale "${locale}"`);
  if (knownTimeZones.has(timeZone)) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new TemplateError(template, 'variables', `unknown time zone "${timeZone}"`, locale);
  }
  knownTimeZones.add(timeZone);
}

function render(
  args: { template: TemplateId; locale: Locale; part: TemplatePart; html?: boolean },
  parsed: Template[],
  scope: object,
  format: FormatSettings,
): string {
  try {
    return renderLiquid(args.html ? htmlLiquid : textLiquid, parsed, scope, format);
  } catch (error) {
    throw new TemplateError(args.template, args.part, (error as Error).message, args.locale);
  }
}

/**
 * Renders one email. Async because MJML 5 compiles asynchronously; the compiled MJML is cached per
 * template, locale and source, so after the first email of a kind only Liquid runs.
 */
export async function renderEmail(args: {
  template: TemplateId;
  locale: Locale;
  timeZone: string;
  variables: EmailVariables;
  override?: TemplateOverride;
  /** The customer's regional tag for dates and money ("en-GB", from formattingLocale); `locale` when absent. */
  formatLocale?: string;
}): Promise<RenderedEmail> {
  const { template, locale, timeZone, variables, override, formatLocale } = args;
  checkArguments(template, locale, timeZone);
  const source = sources(template, locale, override);
  const scope = emailScope(template, variables);
  const format = { locale, timeZone, ...(formatLocale ? { formatLocale } : {}) };
  const textPart = (part: TemplatePart, text: string, partScope: object) =>
    render({ template, locale, part }, parsedText(template, part, text), partScope, format);

  const subject = headerLine(textPart('subject', source.subject, scope));
  const preheader = headerLine(textPart('preheader', source.preheader, scope));
  const withEmail = { ...scope, email: { subject, preheader } };
  const html = render(
    { template, locale, part: 'mjml', html: true },
    await compiledMjml(template, locale, source.mjml.document, source.mjml.content),
    withEmail,
    format,
  );
  const text = tidyText(textPart('text', source.text, withEmail));
  return { subject, preheader, html, text };
}
