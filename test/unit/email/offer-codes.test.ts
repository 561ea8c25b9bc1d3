import { describe, expect, it } from 'vitest';
import { LOCALES } from '#shared/domain/vocabulary.ts';
import { renderEmail, sampleVariables } from '#shared/email/index.ts';

const OWN_CODE = {
  en: 'This code is yours alone',
  nl: 'alleen voor jou',
  es: 'solo para ti',
  de: 'nur für Sie',
  fr: 'vous est personnel',
} as const;

describe('offer codes', () => {
  it('call a code from the single-use pool the customer’s own, in every language, and a shared code never', async () => {
    for (const locale of LOCALES) {
      // Prepare
      const shared = sampleVariables();
      const single = sampleVariables();
      single.offer = { ...(single.offer ?? { title: 'x' }), code: 'FROTH-7Q2X', singleUse: true };

      // Act
      const render = (variables: typeof shared) =>
        renderEmail({ template: 'upgrade-offer/offer', locale, timeZone: 'UTC', variables });
      const [sharedEmail, singleEmail] = await Promise.all([render(shared), render(single)]);

      // Assess
      expect(singleEmail.text, locale).toContain(OWN_CODE[locale]);
      expect(singleEmail.text, locale).toContain('FROTH-7Q2X');
      expect(sharedEmail.text, locale).not.toContain(OWN_CODE[locale]);
    }
  });
});
