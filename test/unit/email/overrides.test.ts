import { describe, expect, it } from 'vitest';
import { checkTemplateOverrides, renderEmail, TemplateError, type TemplateOverride } from '#shared/email/index.ts';
import { purchaseVariables } from './fixtures.ts';

async function rejection(overrides: Record<string, TemplateOverride>): Promise<TemplateError> {
  const error = await checkTemplateOverrides(overrides).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TemplateError);
  return error as TemplateError;
}

describe('template overrides', () => {
  it('accept a valid override, which then changes the subject', async () => {
    // Prepare
    const override: TemplateOverride = {
      subject: 'Thanks, {{ customer.firstName | default: "friend" }}! Order {{ order.number }} is on its way',
      mjml:
        '<mj-section background-color="{{ store.brandColor }}"><mj-column>' +
        '<mj-text>Hello {{ customer.firstName }}, total {{ order.total | money: order.currency }}</mj-text>' +
        '<mj-button href="{{ links.support }}" background-color="{{ store.brandColor }}">Help</mj-button>' +
        '</mj-column></mj-section>',
      text: 'Hello {{ customer.firstName }}, your order {{ order.number }} is on its way.',
    };

    // Act
    await checkTemplateOverrides({ 'follow-up/thanks': override });
    const email = await renderEmail({
      template: 'follow-up/thanks',
      locale: 'de',
      timeZone: 'UTC',
      variables: purchaseVariables(),
      override,
    });

    // Assess
    expect(email.subject).toBe('Thanks, Robin! Order K-2001 is on its way');
    expect(email.html).toContain('total 19,99');
    expect(email.html).toContain('background-color:#0b7a75');
    expect(email.text).toContain('Hello Robin, your order K-2001 is on its way.');
    expect(email.text).toContain('https://kettle.example/unsubscribe/abc');
  });

  it('reject an unknown variable, naming the template and the part', async () => {
    // Act
    const error = await rejection({ 'follow-up/check-in': { subject: 'Hi {{ customer.lastName }}' } });

    // Assess
    expect(error.template).toBe('follow-up/check-in');
    expect(error.part).toBe('subject');
    expect(error.message).toContain('follow-up/check-in');
    expect(error.message).toContain('customer.lastName');
  });

  it('reject an unknown variable even in a branch the sample data does not take', async () => {
    // Act
    const error = await rejection({ 'follow-up/thanks': { text: '{% if false %}{{ warranty.endsAt }}{% endif %}' } });

    // Assess
    expect(error).toMatchObject({ template: 'follow-up/thanks', part: 'text' });
  });

  it('reject a variable another template owns (the customer email is only for the detractor alert)', async () => {
    // Act
    const error = await rejection({ 'satisfaction-survey/sorry': { text: 'Dear {{ survey.customerEmail }}' } });

    // Assess
    expect(error).toMatchObject({ template: 'satisfaction-survey/sorry', part: 'text' });
  });

  it('reject a Liquid syntax error', async () => {
    // Act
    const error = await rejection({
      'upgrade-offer/offer': { text: 'Your code: {% if offer.code %}{{ offer.code }}' },
    });

    // Assess
    expect(error).toMatchObject({ template: 'upgrade-offer/offer', part: 'text' });
    expect(error.message).toContain('upgrade-offer/offer');
  });

  it('reject an unknown filter', async () => {
    // Act
    const error = await rejection({ 'follow-up/thanks': { preheader: '{{ store.name | shout }}' } });

    // Assess
    expect(error).toMatchObject({ template: 'follow-up/thanks', part: 'preheader' });
    expect(error.message).toContain('shout');
  });

  it('reject invalid MJML', async () => {
    // Act
    const error = await rejection({
      'warranty-reminder/reminder': { mjml: '<mj-section><mj-text>No column</mj-text></mj-section>' },
    });

    // Assess
    expect(error).toMatchObject({ template: 'warranty-reminder/reminder', part: 'mjml' });
    expect(error.message).toContain('mj-text');
  });

  it('reject an unknown template or part', async () => {
    // Act
    const unknownTemplate = await rejection({ 'follow-up/thankyou': { subject: 'Hi' } });
    const unknownPart = await rejection({ 'follow-up/thanks': { subjet: 'Hi' } as TemplateOverride });

    // Assess
    expect(unknownTemplate.message).toContain('follow-up/thankyou');
    expect(unknownPart.message).toContain('subjet');
  });
});
