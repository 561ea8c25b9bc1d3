import { renderEmail, sampleVariables, TEMPLATE_IDS } from './functions/shared/email/index.ts';
for (const template of TEMPLATE_IDS) {
  const t = performance.now();
  const r = await renderEmail({ template, locale: 'en', timeZone: 'Europe/Amsterdam', variables: sampleVariables() });
  console.log(template, (performance.now() - t).toFixed(1), 'ms', JSON.stringify(r.subject), JSON.stringify(r.preheader));
}
const r = await renderEmail({ template: 'satisfaction-survey/detractor-alert', locale: 'de', timeZone: 'Europe/Amsterdam', variables: sampleVariables() });
console.log(r.text);
const o = await renderEmail({ template: 'upgrade-offer/offer', locale: 'fr', timeZone: 'Europe/Amsterdam', variables: sampleVariables() });
console.log(o.text);
const t = performance.now();
for (let i = 0; i < 1000; i++) await renderEmail({ template: 'follow-up/thanks', locale: 'en', timeZone: 'Europe/Amsterdam', variables: sampleVariables() });
console.log('warm per email', ((performance.now() - t) / 1000).toFixed(3), 'ms');
