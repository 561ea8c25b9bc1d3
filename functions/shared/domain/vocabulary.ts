/** The product's words: the platforms a store sells on, the sequences Aftercare runs, the languages it writes. */
export const PLATFORMS = ['shopify', 'woocommerce', 'stripe', 'generic'] as const;
export type Platform = (typeof PLATFORMS)[number];
export const SEQUENCES = ['follow-up', 'satisfaction-survey', 'warranty-reminder', 'upgrade-offer'] as const;
export type SequenceName = (typeof SEQUENCES)[number];
export const LOCALES = ['en', 'nl', 'es', 'de', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];
/** The kinds of email a customer can opt out of one by one (service mail is not among them). */
export const CATEGORIES = ['tips', 'surveys', 'offers', 'warranty'] as const;
