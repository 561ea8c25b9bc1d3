import type { CATEGORIES } from '../../domain/vocabulary.ts';

export type SurveyKind = 'nps' | 'csat';
export type PreferenceCategory = (typeof CATEGORIES)[number];

/** The copy of the customer pages in one language. Plain text: the page templates escape it. */
export interface PageStrings {
  supportLine: string;
  survey: {
    title: string;
    question: Record<SurveyKind, (store: string) => string>;
    /** What the lowest and highest scores mean. */
    ends: Record<SurveyKind, [low: string, high: string]>;
    commentLabel: string;
    commentHint: string;
    send: string;
    update: string;
    thanks: string;
    saved: string;
    answered: string;
    changeable: string;
    chooseScore: string;
    commentTooLong: string;
  };
  preferences: {
    title: string;
    intro: (store: string) => string;
    legend: string;
    categories: Record<PreferenceCategory, { label: string; hint: string }>;
    save: string;
    saved: string;
    allTitle: string;
    allText: (store: string) => string;
    unsubscribeAll: string;
    unsubscribedAll: (store: string) => string;
    resubscribe: string;
    resubscribed: string;
    manage: string;
  };
  gone: { title: string; text: string };
}
