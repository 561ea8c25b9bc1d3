import type { Purpose, TokenError } from '../tokens.ts';
import { html } from './html.ts';
import type { Page } from './layout.ts';

/** A page to answer with instead of the normal one: a rejected link, a refused post, a purchase no longer on file. */
export class PageError extends Error {
  override name = 'PageError';
  readonly page: Page;
  constructor(status: number, reason: NeutralReason | Page, detail?: string) {
    const page = typeof reason === 'string' ? neutralPage(status, reason) : reason;
    super(`page refused: ${detail ?? page.title}`);
    this.page = { ...page, status };
  }
}

type NeutralReason = keyof typeof NEUTRAL;

/** In English: when a link is rejected or a post refused, nothing tells us who is asking or in which language. */
const NEUTRAL = {
  malformed: [
    'This link is incomplete',
    'The link may have been cut off on its way to you. Please open it again from the email, or copy the whole address.',
  ],
  invalid: [
    'This link is not valid',
    'It was changed after we sent it, or it does not belong to this page. Please use the link in the email you received.',
  ],
  surveyClosed: [
    'This survey has closed',
    'Thank you for wanting to answer: the survey for this purchase is no longer open.',
  ],
  linkExpired: [
    'This link has expired',
    'Please use the link in a more recent email from the store, or reply to that email and ask to be removed.',
  ],
  crossSite: [
    'This form could not be sent',
    'For your security, answers are only accepted from our own page. Please open the link from your email again.',
  ],
  tooLarge: ['That was too much to send', 'Please shorten your comment and try again.'],
  unsupportedForm: ['This form could not be read', 'Please open the link from your email again.'],
} as const;

function neutralPage(status: number, reason: NeutralReason): Page {
  const [title, text] = NEUTRAL[reason];
  return { status, locale: 'en', title, body: html`<h1>${title}</h1><p>${text}</p>` };
}

/** 400 malformed, 403 forged/tampered or wrong purpose, 410 expired (the survey has closed). */
export function linkRejected(error: TokenError, purpose: Purpose): PageError {
  switch (error.reason) {
    case 'malformed':
      return new PageError(400, 'malformed');
    case 'signature':
    case 'purpose':
      return new PageError(403, 'invalid');
    case 'expired':
      return new PageError(410, purpose === 'survey' ? 'surveyClosed' : 'linkExpired');
  }
}
