import { type Context, Liquid, type Template } from 'liquidjs';
import type { Locale } from '../domain/vocabulary.ts';

/** Locale and time zone of the email being rendered; read by the formatting filters. */
export interface FormatSettings {
  locale: Locale;
  timeZone: string;
  /** The full BCP 47 tag dates and money follow ("en-GB"); `locale` when absent. */
  formatLocale?: string;
}

/** What liquidjs binds `this` to in a filter (its FilterImpl type is not exported). */
interface FilterThis {
  context: Context;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const moneyFormats = new Map<string, Intl.NumberFormat>();

function settings(filter: FilterThis): FormatSettings {
  return filter.context.globals as FormatSettings;
}

/** `{{ warranty.endsAt | date_long }}` → "March 14, 2028" / "14. März 2028", in the store's time zone. */
function dateLong(this: FilterThis, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  const date = new Date(String(value));
  if (Number.isNaN(date.getTime())) throw new Error(`date_long: "${String(value)}" is not a date`);
  const { locale: language, timeZone, formatLocale } = settings(this);
  const locale = formatLocale ?? language;
  const key = `${locale}|${timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone });
    dateFormats.set(key, format);
  }
  return format.format(date);
}

/** `{{ order.total | money: order.currency }}` → "€19.99" / "19,99 €". */
function money(this: FilterThis, value: unknown, currency: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  const amount = Number(value);
  if (!Number.isFinite(amount)) throw new Error(`money: "${String(value)}" is not an amount`);
  if (typeof currency !== 'string') throw new Error('money: needs a currency, e.g. money: order.currency');
  const { locale: language, formatLocale } = settings(this);
  const locale = formatLocale ?? language;
  const key = `${locale}|${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    moneyFormats.set(key, format);
  }
  return format.format(amount);
}

function engine(escapeOutput: boolean): Liquid {
  const liquid = new Liquid({
    strictVariables: true,
    strictFilters: true,
    outputEscape: escapeOutput ? 'escape' : undefined,
    // No partials: `{% include %}`/`{% render %}` find nothing instead of reading the file system.
    templates: {},
    ownPropertyOnly: true,
    renderLimit: 2_000,
  });
  liquid.registerFilter('date_long', dateLong);
  liquid.registerFilter('money', money);
  return liquid;
}

/** HTML parts: every `{{ … }}` is HTML-escaped. */
export const htmlLiquid = engine(true);
/** Subject, preheader and the plain-text part: output as written. */
export const textLiquid = engine(false);

export function renderLiquid(liquid: Liquid, template: Template[], scope: object, format: FormatSettings): string {
  return liquid.renderSync(template, scope, { globals: format }) as string;
}

const LINE_BREAK_RUN = /[\s\u0085]*[\r\n\u0085\u2028\u2029][\s\u0085]*/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** A header value (subject, preheader): any whitespace run holding a line break becomes one space. */
export function headerLine(value: string): string {
  return value.replace(LINE_BREAK_RUN, ' ').replace(CONTROL, ' ').trim();
}
