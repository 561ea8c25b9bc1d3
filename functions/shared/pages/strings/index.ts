import type { Locale } from '../../domain/vocabulary.ts';
import { de } from './de.ts';
import { en } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';
import { nl } from './nl.ts';
import type { PageStrings } from './types.ts';

export type { PageStrings, PreferenceCategory, SurveyKind } from './types.ts';

const STRINGS: Record<Locale, PageStrings> = { en, nl, es, de, fr };

export function pageStrings(locale: Locale): PageStrings {
  return STRINGS[locale];
}
