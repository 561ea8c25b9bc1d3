import { describe, expect, it } from 'vitest';
import { LOCALES } from '#shared/domain/vocabulary.ts';
import { isMarketing, TEMPLATE_IDS } from '#shared/email/index.ts';
import { approximateScore, sentMessage } from '../../support/spam.ts';

/**
 * What can be checked without SpamAssassin (npm run bench:spam scores the same messages with it when installed):
 * the structural rules a message decides by itself, with SpamAssassin's own scores.
 */
describe('emails as sent, without SpamAssassin', () => {
  it('hit no structural spam rule in any template or language (only HTML_MESSAGE, 0.001)', async () => {
    for (const template of TEMPLATE_IDS) {
      for (const locale of LOCALES) {
        // Act
        const message = await sentMessage(template, locale);
        const result = approximateScore(message);

        // Assess
        expect(result.rules, `${template} ${locale}`).toEqual(['HTML_MESSAGE']);
        const unsubscribe = message.headers.some((header) => header.name === 'List-Unsubscribe');
        expect(unsubscribe, `${template} List-Unsubscribe`).toBe(
          isMarketing(template) && template !== 'satisfaction-survey/detractor-alert',
        );
        expect(message.raw).toMatch(/^From: Demo Appliances <care@demo-appliances\.example>\r$/m);
      }
    }
  });

  it('catch what SpamAssassin punishes: an HTML-only message without Date, with a shouted subject', async () => {
    // Prepare
    const good = await sentMessage('follow-up/thanks', 'en');
    const bad = {
      ...good,
      subject: 'THANK YOU FOR YOUR ORDER',
      text: '',
      headers: good.headers.filter((header) => header.name !== 'Date'),
    };

    // Act
    const result = approximateScore(bad);

    // Assess
    expect(result.rules).toEqual(expect.arrayContaining(['MISSING_DATE', 'MIME_HTML_ONLY', 'SUBJ_ALL_CAPS']));
    expect(result.score).toBeGreaterThan(3);
  });
});
