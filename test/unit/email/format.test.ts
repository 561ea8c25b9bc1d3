import { describe, expect, it } from 'vitest';
import { isMarketing, pickLocale, renderEmail } from '#shared/email/index.ts';
import { purchaseVariables } from './fixtures.ts';

/** Intl separates the currency sign with a no-break space in some languages. */
const plainSpaces = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('dates and amounts', () => {
  it('write the same date per language', async () => {
    // Act
    const [en, de] = await Promise.all(
      (['en', 'de'] as const).map((locale) =>
        renderEmail({
          template: 'satisfaction-survey/detractor-alert',
          locale,
          timeZone: 'UTC',
          variables: purchaseVariables(),
        }),
      ),
    );

    // Assess
    expect(en?.text).toContain('March 14, 2026');
    expect(de?.text).toContain('14. März 2026');
  });

  it('write EUR amounts per language', async () => {
    // Act
    const [en, de] = await Promise.all(
      (['en', 'de'] as const).map((locale) =>
        renderEmail({ template: 'follow-up/thanks', locale, timeZone: 'UTC', variables: purchaseVariables() }),
      ),
    );

    // Assess
    expect(plainSpaces(en?.text ?? '')).toContain('€19.99');
    expect(plainSpaces(de?.text ?? '')).toContain('19,99 €');
    expect(plainSpaces(de?.html ?? '')).toContain('19,99 €');
  });

  it('read dates in the given time zone', async () => {
    // Prepare: the warranty ends 2028-03-31T23:30Z, which is already 1 April in Amsterdam.
    const render = (timeZone: string) =>
      renderEmail({ template: 'warranty-reminder/reminder', locale: 'en', timeZone, variables: purchaseVariables() });

    // Act
    const utc = await render('UTC');
    const amsterdam = await render('Europe/Amsterdam');

    // Assess
    expect(utc.subject).toContain('March 31, 2028');
    expect(amsterdam.subject).toContain('April 1, 2028');
  });
});

describe('pickLocale', () => {
  it.each([
    ['nl-BE', 'nl'],
    ['de_DE', 'de'],
    ['FR', 'fr'],
    ['es-419', 'es'],
    ['pt-BR,fr;q=0.8', 'fr'],
    ['pt-BR', 'en'],
    ['', 'en'],
    [undefined, 'en'],
  ] as const)('%s → %s', (customerLocale, expected) => {
    expect(pickLocale(customerLocale, 'en')).toBe(expected);
  });

  it('falls back to the store default', () => {
    expect(pickLocale('ja', 'de')).toBe('de');
  });
});

describe('isMarketing', () => {
  it('treats the warranty reminder, the apology and the store alert as service emails', () => {
    expect(isMarketing('warranty-reminder/reminder')).toBe(false);
    expect(isMarketing('satisfaction-survey/sorry')).toBe(false);
    expect(isMarketing('satisfaction-survey/detractor-alert')).toBe(false);
    expect(isMarketing('follow-up/thanks')).toBe(true);
    expect(isMarketing('satisfaction-survey/review-request')).toBe(true);
    expect(isMarketing('upgrade-offer/offer')).toBe(true);
  });
});
