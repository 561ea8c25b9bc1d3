import { describe, expect, it } from 'vitest';
import { LOCALES, type Locale } from '#shared/domain/vocabulary.ts';
import { isMarketing, minimalVariables, renderEmail, TEMPLATE_IDS, type TemplateId } from '#shared/email/index.ts';
import { purchaseVariables } from './fixtures.ts';

// Written for this test, independent of the templates' own copy: common function words per language…
const FUNCTION_WORDS: Record<Locale, readonly string[]> = {
  en: ['the', 'and', 'you', 'your', 'with', 'for', 'our', 'this', 'that', 'to', 'of', 'it', 'us'],
  nl: ['het', 'een', 'je', 'jouw', 'ons', 'onze', 'met', 'voor', 'van', 'bij', 'niet', 'dat', 'deze', 'wat', 'naar'],
  es: ['el', 'los', 'las', 'que', 'tu', 'con', 'para', 'por', 'nos', 'nuestro', 'una', 'este', 'del', 'lo'],
  de: ['der', 'die', 'das', 'und', 'sie', 'ihre', 'ihr', 'mit', 'für', 'wir', 'uns', 'ist', 'nicht', 'ein', 'eine'],
  fr: ['le', 'les', 'vous', 'votre', 'nous', 'avec', 'pour', 'est', 'une', 'des', 'pas', 'ce', 'cet', 'du', 'qui'],
};

// …and a word each email must contain to be about the right thing in that language.
const TOPIC_WORDS: Record<TemplateId, Record<Locale, readonly string[]>> = {
  'follow-up/thanks': { en: ['thank'], nl: ['bedankt'], es: ['gracias'], de: ['dank'], fr: ['merci'] },
  'follow-up/check-in': { en: ['help'], nl: ['help'], es: ['ayud'], de: ['helfen'], fr: ['aide', 'aider'] },
  'follow-up/maintenance': {
    en: ['maintenance', 'care'],
    nl: ['onderhoud'],
    es: ['mantenimiento'],
    de: ['pflege'],
    fr: ['entretien'],
  },
  'satisfaction-survey/ask': {
    en: ['recommend'],
    nl: ['aanraden', 'aanraadt', 'aanbevelen'],
    es: ['recomiend', 'recomendar'],
    de: ['empfehlen'],
    fr: ['recommand'],
  },
  'satisfaction-survey/reminder': {
    en: ['question'],
    nl: ['vraag'],
    es: ['pregunta'],
    de: ['frage'],
    fr: ['question'],
  },
  'satisfaction-survey/sorry': {
    en: ['sorry'],
    nl: ['spijt'],
    es: ['sentimos', 'lamentamos'],
    de: ['leid'],
    fr: ['désolé'],
  },
  'satisfaction-survey/review-request': {
    en: ['review'],
    nl: ['review', 'beoordeling'],
    es: ['reseña', 'opinión'],
    de: ['bewertung'],
    fr: ['avis'],
  },
  'satisfaction-survey/detractor-alert': {
    en: ['score'],
    nl: ['score'],
    es: ['puntuación'],
    de: ['bewertung'],
    fr: ['note'],
  },
  'warranty-reminder/reminder': {
    en: ['warranty'],
    nl: ['garantie'],
    es: ['garantía'],
    de: ['garantie'],
    fr: ['garantie'],
  },
  'upgrade-offer/offer': { en: ['discount'], nl: ['korting'], es: ['descuento'], de: ['rabatt'], fr: ['réduction'] },
};

function languageScores(text: string): Record<Locale, number> {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  return Object.fromEntries(
    LOCALES.map((locale) => [locale, words.filter((word) => FUNCTION_WORDS[locale].includes(word)).length]),
  ) as Record<Locale, number>;
}

const cases = TEMPLATE_IDS.flatMap((template) => LOCALES.map((locale) => ({ template, locale })));

describe('renderEmail', () => {
  it.each(cases)('$template in $locale renders a complete email in that language', async ({ template, locale }) => {
    // Prepare
    const variables = purchaseVariables();

    // Act
    const email = await renderEmail({ template, locale, timeZone: 'Europe/Amsterdam', variables });

    // Assess
    expect(email.html).toMatch(/^<!doctype html>/i);
    expect(email.html).toContain(`lang="${locale}"`);
    expect(email.text.trim().length).toBeGreaterThan(100);
    for (const part of [email.subject, email.preheader, email.html, email.text]) {
      expect(part).not.toMatch(/\{\{|\{%|%\}|\}\}/);
    }
    expect(email.subject.length).toBeGreaterThan(5);
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.preheader).not.toMatch(/[\r\n]/);
    if (isMarketing(template)) {
      expect(email.html).toContain('href="https://kettle.example/unsubscribe/abc"');
      expect(email.text).toContain('https://kettle.example/unsubscribe/abc');
    }
    const scores = languageScores(email.text);
    for (const other of LOCALES.filter((candidate) => candidate !== locale)) {
      expect(scores[locale], `${locale} words vs ${other} words in:\n${email.text}`).toBeGreaterThan(scores[other]);
    }
    const lowerText = email.text.toLowerCase();
    expect(
      TOPIC_WORDS[template][locale].some((word) => lowerText.includes(word)),
      email.text,
    ).toBe(true);
  });

  it.each(cases)('$template in $locale renders with only the required variables', async ({ template, locale }) => {
    // Act
    const email = await renderEmail({ template, locale, timeZone: 'UTC', variables: minimalVariables(template) });

    // Assess
    expect(email.text).not.toMatch(/\{\{|\{%/);
    expect(email.html).not.toContain('null');
    expect(email.text).not.toContain('null');
  });

  it('shows the store support address and brand colour in every email', async () => {
    // Act
    const email = await renderEmail({
      template: 'satisfaction-survey/detractor-alert',
      locale: 'en',
      timeZone: 'UTC',
      variables: purchaseVariables(),
    });

    // Assess
    expect(email.html).toContain('help@kettle.example');
    expect(email.html).toContain('#0b7a75');
    expect(email.html).toContain('src="https://kettle.example/logo.png"');
    expect(email.text).toContain('robin@example.com');
    expect(email.text).toContain('Leaks.');
    expect(email.text).toContain('K-2001');
    expect(email.text).toContain('Glass kettle');
  });

  it('gives the NPS survey one link per score from 0 to 10 and the CSAT survey 1 to 5', async () => {
    // Prepare
    const csat = purchaseVariables();
    csat.survey = { kind: 'csat' };
    csat.links.survey = [1, 2, 3, 4, 5].map((score) => ({ score, url: `https://kettle.example/c/${score}` }));

    // Act
    const nps = await renderEmail({
      template: 'satisfaction-survey/ask',
      locale: 'en',
      timeZone: 'UTC',
      variables: purchaseVariables(),
    });
    const satisfaction = await renderEmail({
      template: 'satisfaction-survey/ask',
      locale: 'en',
      timeZone: 'UTC',
      variables: csat,
    });

    // Assess
    expect(nps.subject).toBe('One quick question about Kettle & Co');
    expect(nps.text).toContain('How likely are you to recommend Kettle & Co to a friend or colleague?');
    expect(nps.html.match(/href="https:\/\/kettle\.example\/s\/abc\/\d+"/g)).toHaveLength(11);
    expect(nps.text).toContain('10: https://kettle.example/s/abc/10');
    expect(satisfaction.text).toMatch(/How satisfied/);
    expect(satisfaction.html.match(/href="https:\/\/kettle\.example\/c\/\d"/g)).toHaveLength(5);
  });

  it('puts the offer code and its expiry date in the offer', async () => {
    // Act
    const email = await renderEmail({
      template: 'upgrade-offer/offer',
      locale: 'en',
      timeZone: 'Europe/Amsterdam',
      variables: purchaseVariables(),
    });

    // Assess
    expect(email.text).toContain('FILTER10');
    expect(email.text).toContain('June 30, 2026');
    expect(email.html).toContain('href="https://kettle.example/filters"');
  });

  it('refuses a marketing email without an unsubscribe link', async () => {
    // Prepare
    const variables = purchaseVariables();
    delete variables.links.unsubscribe;

    // Act
    const render = renderEmail({ template: 'follow-up/thanks', locale: 'en', timeZone: 'UTC', variables });

    // Assess
    await expect(render).rejects.toThrow(/follow-up\/thanks.*links\.unsubscribe/);
  });

  it('refuses a template whose section is missing', async () => {
    // Prepare
    const variables = purchaseVariables();
    delete variables.warranty;

    // Act
    const render = renderEmail({ template: 'warranty-reminder/reminder', locale: 'en', timeZone: 'UTC', variables });

    // Assess
    await expect(render).rejects.toMatchObject({ name: 'TemplateError', template: 'warranty-reminder/reminder' });
  });
});
