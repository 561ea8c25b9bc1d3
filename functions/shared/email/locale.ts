import { LOCALES, type Locale } from '../../../infra/config.ts';

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
