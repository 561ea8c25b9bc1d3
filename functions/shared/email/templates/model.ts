import type { Locale } from '../../domain/vocabulary.ts';

/**
 * Templates are written as copy, not markup: a list of blocks whose text is Liquid. The layout turns the same
 * blocks into MJML for the HTML part and into written plain text, so both parts always say the same thing.
 */
export type Block = (
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: readonly string[] }
  /** Boxed, bold text: a discount code, a quoted comment. */
  | { kind: 'callout'; text: string }
  /** Someone else's words (a customer's comment), set off as a quotation. */
  | { kind: 'quote'; text: string }
  /** `href` is a Liquid variable path such as `links.review`; the button is left out while it is empty. */
  | { kind: 'button'; label: string; href: LinkPath }
  | { kind: 'products' }
  /** One link per score from `links.survey` (0–10 for NPS, 1–5 for CSAT). */
  | { kind: 'survey-scale' }
) & {
  /** A Liquid condition; the block is only shown when it is truthy. */
  when?: string;
};

export type LinkPath = 'links.support' | 'links.review' | 'links.offer';

export interface TemplateCopy {
  subject: string;
  preheader: string;
  blocks: readonly Block[];
  /** `store` emails (the detractor alert) have no customer greeting, support line or unsubscribe link. */
  audience?: 'customer' | 'store';
  greeting?: string;
  signOff?: string;
  /** Why the reader gets this email; defaults to the locale's "because you bought from …". */
  footerNote?: string;
}

export type Section = 'survey' | 'warranty' | 'offer' | 'maintenance';
export type RequiredLink = 'survey' | 'review' | 'offer';

export interface TemplateDefinition {
  copy: Record<Locale, TemplateCopy>;
  /** Optional variable sections this template needs; sections not listed are hidden from it. */
  sections: readonly Section[];
  requiredLinks: readonly RequiredLink[];
}

export const h = (text: string): Block => ({ kind: 'heading', text });
export const p = (text: string, when?: string): Block => ({ kind: 'paragraph', text, when });
export const list = (...items: string[]): Block => ({ kind: 'list', items });
export const callout = (text: string, when?: string): Block => ({ kind: 'callout', text, when });
export const quote = (text: string, when?: string): Block => ({ kind: 'quote', text, when });
export const button = (label: string, href: LinkPath): Block => ({ kind: 'button', label, href });
export const products: Block = { kind: 'products' };
export const surveyScale: Block = { kind: 'survey-scale' };
