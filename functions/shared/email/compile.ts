import type { Liquid, Template } from 'liquidjs';
import mjml2html from 'mjml';
import type { Locale } from '../domain/vocabulary.ts';
import { htmlLiquid, textLiquid } from './liquid.ts';
import { checkVariables } from './scope.ts';
import { TemplateError, type TemplateId, type TemplatePart } from './types.ts';

/**
 * MJML is compiled once per template, locale and source, with the Liquid tags left in place (MJML passes
 * `{{ … }}`/`{% … %}` through untouched); each email then only costs a Liquid render of the cached result.
 */

/** Keeps the most recently added entries; overrides come from configuration, so this rarely evicts. */
class BoundedCache<Value> {
  readonly #entries = new Map<string, Value>();
  constructor(readonly limit: number) {}

  get(key: string, make: () => Value): Value {
    const cached = this.#entries.get(key);
    if (cached !== undefined) return cached;
    const made = make();
    if (this.#entries.size >= this.limit) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, made);
    return made;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }
}

const parsedLiquid = new BoundedCache<Template[]>(2_000);
const compiledHtml = new BoundedCache<Promise<Template[]>>(500);

function parse(liquid: Liquid, template: TemplateId, part: TemplatePart, source: string, locale?: Locale): Template[] {
  let parsed: Template[];
  try {
    parsed = liquid.parse(source);
  } catch (error) {
    throw new TemplateError(template, part, (error as Error).message, locale);
  }
  checkVariables(template, part, parsed);
  return parsed;
}

/** A Liquid source rendered as plain text (subject, preheader, text part), parsed and checked once. */
export function parsedText(template: TemplateId, part: TemplatePart, source: string): Template[] {
  const key = `${template}\0${part}\0${source}`;
  return parsedLiquid.get(key, () => parse(textLiquid, template, part, source));
}

// MJML validates colours, so each Liquid store colour is swapped for a stand-in while MJML runs.
const COLOUR_STAND_INS = [
  ['brandColor', '#a1b2c3'],
  ['brandInk', '#a1b2c4'],
  ['accentColor', '#a1b2c5'],
] as const;

function withStandIns(document: string): string {
  return COLOUR_STAND_INS.reduce(
    (text, [name, standIn]) => text.replace(new RegExp(`\\{\\{\\s*store\\.${name}\\s*\\}\\}`, 'g'), standIn),
    document,
  );
}

function withColourTags(html: string): string {
  return COLOUR_STAND_INS.reduce(
    (text, [name, standIn]) => text.replace(new RegExp(standIn, 'gi'), `{{ store.${name} }}`),
    html,
  );
}

interface MjmlIssue {
  line?: number;
  message?: string;
  tagName?: string;
}

function mjmlProblem(error: unknown, firstContentLine: number): string {
  const issues = (error as { errors?: MjmlIssue[] }).errors;
  if (!Array.isArray(issues) || issues.length === 0) return (error as Error).message;
  return issues
    .map((issue) => {
      const line = issue.line === undefined ? '' : `line ${issue.line - firstContentLine + 1} `;
      return `${line}(${issue.tagName ?? 'mjml'}): ${issue.message ?? 'invalid'}`;
    })
    .join('; ');
}

async function compile(template: TemplateId, locale: Locale, document: string, content: string): Promise<Template[]> {
  // Liquid mistakes are reported against the MJML the author wrote, before MJML reshapes it.
  parse(textLiquid, template, 'mjml', content, locale);
  const firstContentLine = document.slice(0, document.indexOf(content)).split('\n').length;
  let html: string;
  try {
    const result = await mjml2html(withStandIns(document), {
      validationLevel: 'strict',
      ignoreIncludes: true,
      keepComments: false,
      fonts: {},
    });
    html = result.html;
  } catch (error) {
    throw new TemplateError(template, 'mjml', `invalid MJML: ${mjmlProblem(error, firstContentLine)}`, locale);
  }
  return parse(htmlLiquid, template, 'mjml', withColourTags(html), locale);
}

/** The responsive HTML for `document` as parsed Liquid; `content` is the part an override may replace. */
export function compiledMjml(
  template: TemplateId,
  locale: Locale,
  document: string,
  content: string,
): Promise<Template[]> {
  const key = `${template}\0${locale}\0${document}`;
  return compiledHtml.get(key, () =>
    compile(template, locale, document, content).catch((error: unknown) => {
      compiledHtml.delete(key);
      throw error;
    }),
  );
}
