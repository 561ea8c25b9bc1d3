import { describe, expect, it } from 'vitest';
import { LOCALES } from '#shared/domain/vocabulary.ts';
import { renderEmail, TEMPLATE_IDS } from '#shared/email/index.ts';
import { purchaseVariables } from './fixtures.ts';

const SCRIPTED_NAME = '<img src=x onerror=alert(1)>';
const INJECTED_TITLE = 'Glass kettle\r\nBcc: evil@example.com';

function hostileVariables() {
  const variables = purchaseVariables();
  variables.customer.firstName = SCRIPTED_NAME;
  variables.products = [{ title: INJECTED_TITLE, quantity: 1, price: '19.99' }];
  variables.order.number = '"><script>alert(2)</script>';
  variables.survey = { kind: 'nps', score: 2, comment: '</div><a href="javascript:alert(3)">x</a>' };
  variables.offer = { title: `Filter ${INJECTED_TITLE} <b>`, code: '<i>CODE</i>' };
  variables.store.name = 'Kettle\nSubject: spoofed & <Co>';
  return variables;
}

describe('values from an order', () => {
  it.each(TEMPLATE_IDS.flatMap((template) => LOCALES.map((locale) => ({ template, locale }))))(
    'are escaped in the HTML and cannot add headers ($template, $locale)',
    async ({ template, locale }) => {
      // Act
      const email = await renderEmail({ template, locale, timeZone: 'UTC', variables: hostileVariables() });

      // Assess
      expect(email.html).not.toContain('<img src=x');
      expect(email.html).not.toContain('<script>');
      expect(email.html).not.toContain('href="javascript:');
      expect(email.html).not.toContain('<Co>');
      expect(email.html).not.toContain('<i>CODE</i>');
      expect(email.html).toContain('Kettle\nSubject: spoofed &amp; &lt;Co&gt;');
      for (const header of [email.subject, email.preheader]) {
        expect(header).not.toMatch(/[\r\n]/);
      }
    },
  );

  it('keeps the customer name readable, escaped in HTML and as written in the text', async () => {
    // Act
    const email = await renderEmail({
      template: 'follow-up/thanks',
      locale: 'en',
      timeZone: 'UTC',
      variables: hostileVariables(),
    });

    // Assess
    expect(email.html).toContain('Hi &lt;img src=x onerror=alert(1)&gt;,');
    expect(email.text).toContain(`Hi ${SCRIPTED_NAME},`);
  });

  it('collapses line breaks in the subject to one space', async () => {
    // Act
    const email = await renderEmail({
      template: 'upgrade-offer/offer',
      locale: 'en',
      timeZone: 'UTC',
      variables: hostileVariables(),
    });

    // Assess
    expect(email.subject).toBe('Made for your purchase: Filter Glass kettle Bcc: evil@example.com <b>');
  });

  it('refuses a brand colour that could break out of the CSS', async () => {
    // Prepare
    const variables = purchaseVariables();
    variables.store.brandColor = 'red;background:url(https://evil.example/)';

    // Act
    const render = renderEmail({ template: 'follow-up/thanks', locale: 'en', timeZone: 'UTC', variables });

    // Assess
    await expect(render).rejects.toMatchObject({ name: 'TemplateError', part: 'variables' });
  });
});
