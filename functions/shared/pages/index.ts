/**
 * Server-rendered customer pages (survey answers, email preferences): escaped HTML, the store's name and colour,
 * the customer's language, strict security headers, and forms protected against cross-site posting.
 */
export { gone, type LinkContext, linkContext } from './context.ts';
export { PageError } from './errors.ts';
export { MAX_FORM_BYTES, readForm } from './form.ts';
export { type Link, openLink, pageHandler } from './handler.ts';
export { type Html, html } from './html.ts';
export { type Brand, brandOf, type Page } from './layout.ts';
export { assertPostedFromOurPage, crossSiteReason, csrfToken, isValidCsrf } from './security.ts';
export { type PageStrings, type PreferenceCategory, pageStrings, type SurveyKind } from './strings/index.ts';
