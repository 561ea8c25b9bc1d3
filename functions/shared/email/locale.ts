import { LOCALES, type Locale } from '../domain/vocabulary.ts';

/**
 * The language to write to a customer in: the first supported language in what the platform gave us
 * ("nl-BE", "de_DE", "fr-CA,fr;q=0.9,en;q=0.8"), otherwise the store's default.
 */
export function pickLocale(customerLocale: string | undefined, storeDefault: Locale): Locale {
  for (const candidate of (customerLocale ?? '').split(',')) {
    const language = candidate.trim().split(/[-_;]/)[0]?.toLowerCase();
    const supported = LOCALES.find((locale) => locale === language);
    if (supported) return supported;
  }
  return storeDefault;
}

/**
 * The tag dates and money are formatted with: the customer's own region ("en-GB" → 14 March 2028) when its language
 * is the one written in, else that language alone (an "fr-CA" customer of a store writing German gets "de").
 */
export function formattingLocale(customerLocale: string | undefined, language: Locale): string {
  for (const candidate of (customerLocale ?? '').split(',')) {
    const tag = candidate.trim().split(';')[0]?.replace(/_/g, '-') ?? '';
    if (tag.split('-')[0]?.toLowerCase() !== language) continue;
    try {
      return Intl.getCanonicalLocales(tag)[0] ?? language;
    } catch {
      return language;
    }
  }
  return language;
}
