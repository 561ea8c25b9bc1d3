import { describe, expect, it } from 'vitest';
import { contrastRatio } from '#shared/contrast.ts';
import { LOCALES } from '#shared/domain/vocabulary.ts';
import {
  type EmailVariables,
  renderEmail,
  sampleVariables,
  TEMPLATE_IDS,
  type TemplateId,
} from '#shared/email/index.ts';
import { emailHtmlErrors } from '../../support/email-html.ts';

const withStore = (store: Partial<EmailVariables['store']>): EmailVariables => {
  const variables = sampleVariables();
  return { ...variables, store: { ...variables.store, logoUrl: 'https://brightbrew.example/logo.png', ...store } };
};
const render = (template: TemplateId, locale: (typeof LOCALES)[number], variables = withStore({})) =>
  renderEmail({ template, locale, timeZone: 'Europe/Amsterdam', variables });
const everyEmail = TEMPLATE_IDS.flatMap((template) => LOCALES.map((locale) => [template, locale] as const));

// Yellow, mint and orange were illegible under white text; near-black, the default blue and the demo teal too.
const BRAND_COLOURS = ['#ffd43b', '#63e6be', '#fd7e14', '#111111', '#1f6feb', '#0b7285', '#ffffff'];
const pairs = (html: string, pattern: RegExp) =>
  [...html.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))].map(
    (match) => [match[1] ?? '', match[2] ?? ''] as const,
  );

describe('every email in every language', () => {
  it.each(everyEmail)('%s (%s) is valid HTML for email: html-validate reports 0 errors', async (template, locale) => {
    // Act
    const email = await render(template, locale);
    // Assess
    expect(await emailHtmlErrors(email.html)).toEqual([]);
  });

  it.each(everyEmail)('%s (%s) has a subject that fits a phone inbox (≤ 60 characters)', async (template, locale) => {
    const email = await render(template, locale);
    expect([...email.subject].length).toBeLessThanOrEqual(60);
  });

  it.each(everyEmail)('%s (%s) carries the postal address and legal line to customers', async (template, locale) => {
    // Act
    const email = await render(template, locale);
    // Assess: the alert goes to the store itself, everything else to a customer.
    const { postalAddress, legalLine } = sampleVariables().store;
    const expected = template === 'satisfaction-survey/detractor-alert' ? 0 : 1;
    for (const part of [email.html, email.text]) {
      expect(part.split(postalAddress ?? '').length - 1).toBe(expected);
      expect(part.split(legalLine ?? '').length - 1).toBe(expected);
    }
  });
});

describe('brand colours', () => {
  it.each(BRAND_COLOURS)('on %s the header, buttons and score links read at ≥ 4.5:1', async (brandColor) => {
    // Prepare
    const variables = withStore({ brandColor, logoUrl: undefined });
    // Act
    const thanks = await render('follow-up/thanks', 'en', variables);
    const ask = await render('satisfaction-survey/ask', 'en', variables);
    // Assess: the store name on the header, each button label on its background, each score on the white page.
    const header = pairs(
      thanks.html,
      /background-color:(#[0-9a-f]{6});margin:0px auto[\s\S]*?font-size:22px;[^"]*color:(#[0-9a-f]{6})/i,
    );
    const buttons = pairs(thanks.html, /<a[^>]*style="[^"]*background:(#[0-9a-f]{6});color:(#[0-9a-f]{6})/gi);
    const scores = [...ask.html.matchAll(/aria-label="[^"]*"\s+style="[^"]*;color:(#[0-9a-f]{6})/gi)].map(
      (match) => ['#ffffff', match[1] ?? ''] as const,
    );
    expect(header).toHaveLength(1);
    expect(buttons.length).toBeGreaterThan(0);
    expect(scores).toHaveLength(11);
    for (const [background, ink] of [...header, ...buttons, ...scores]) {
      expect(contrastRatio(background, ink), `${ink} on ${background}`).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe('the survey scale', () => {
  it('is one table cell per score, each link named "N out of 10" and no two digits in one text run', async () => {
    // Act
    const ask = await render('satisfaction-survey/ask', 'en');
    // Assess
    const cells = [
      ...ask.html.matchAll(/<td[^>]*><a href="[^"]*score=(\d+)" aria-label="([^"]*)"[^>]*>(\d+)<\/a><\/td>/g),
    ];
    expect(cells.map((cell) => cell[3])).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(cells.map((cell) => cell[2])).toEqual(cells.map((cell) => `${cell[1]} out of 10`));
    expect(ask.html).not.toMatch(/inline-block;[^"]*border-radius[^"]*">\d+</);
  });
});
