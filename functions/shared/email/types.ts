import type { Locale } from '../domain/vocabulary.ts';

export const TEMPLATE_IDS = [
  'follow-up/thanks',
  'follow-up/check-in',
  'follow-up/maintenance',
  'satisfaction-survey/ask',
  'satisfaction-survey/reminder',
  'satisfaction-survey/sorry',
  'satisfaction-survey/review-request',
  'satisfaction-survey/detractor-alert',
  'warranty-reminder/reminder',
  'upgrade-offer/offer',
] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

/**
 * Why each email may be sent. `service` mail (warranty notice, the answer to a complaint, the alert to the store)
 * rests on the contract and has no unsubscribe link; `marketing` mail rests on the existing-customer exemption
 * (legitimate interest: similar goods, an unsubscribe link in every email), or on consent where the store's
 * `consentRequiredFor` lists the step's category.
 */
export const TEMPLATE_PURPOSES: Record<
  TemplateId,
  { purpose: 'service' | 'marketing'; legalBasis: 'contract' | 'legitimate-interest' }
> = {
  'follow-up/thanks': { purpose: 'marketing', legalBasis: 'legitimate-interest' },
  'follow-up/check-in': { purpose: 'marketing', legalBasis: 'legitimate-interest' },
  'follow-up/maintenance': { purpose: 'marketing', legalBasis: 'legitimate-interest' },
  'satisfaction-survey/ask': { purpose: 'marketing', legalBasis: 'legitimate-interest' },
  'satisfaction-survey/reminder': { purpose: 'marketing', legalBasis: 'legitimate-interest' },
  'satisfaction-survey/sorry': { purpose: 'service', legalBasis: 'contract' },
  'satisfaction-survey/review-request': { purpose: 'marketing', legalBasis: 'legitimate-interest' },
  'satisfaction-survey/detractor-alert': { purpose: 'service', legalBasis: 'contract' },
  'warranty-reminder/reminder': { purpose: 'service', legalBasis: 'contract' },
  'upgrade-offer/offer': { purpose: 'marketing', legalBasis: 'legitimate-interest' },
};

/** Marketing emails carry List-Unsubscribe and an unsubscribe link; service emails go out regardless. */
export function isMarketing(template: TemplateId): boolean {
  return TEMPLATE_PURPOSES[template].purpose === 'marketing';
}

export function isTemplateId(value: string): value is TemplateId {
  return (TEMPLATE_IDS as readonly string[]).includes(value);
}

/**
 * An operator's replacement for parts of a template, as Liquid sources. `mjml` replaces the content between the
 * shared header and footer (one or more `<mj-section>`/`<mj-wrapper>`); `text` replaces the plain-text body above
 * the shared footer. The footer (support address, unsubscribe link) always stays.
 */
export interface TemplateOverride {
  subject?: string;
  preheader?: string;
  mjml?: string;
  text?: string;
}

export interface EmailVariables {
  customer: { firstName?: string };
  store: {
    name: string;
    logoUrl?: string;
    /** Pixels the logo is shown wide (its height follows); 120 when unset. */
    logoWidth?: number;
    brandColor: string;
    supportEmail: string;
    reviewUrl?: string;
    /** An https help page; without it the help button writes to the support address, and says so. */
    helpUrl?: string;
    postalAddress?: string;
    legalLine?: string;
  };
  order: { number?: string; purchasedAt: string; currency: string; total?: string };
  products: { title: string; quantity: number; price?: string }[];
  links: {
    unsubscribe?: string;
    preferences?: string;
    survey?: { score: number; url: string }[];
    review?: string;
    offer?: string;
    support?: string;
  };
  /** `customerEmail` and `customerName` are only available to the detractor alert, which goes to the store. */
  survey?: {
    kind: 'nps' | 'csat';
    score?: number;
    comment?: string;
    customerEmail?: string;
    customerName?: string;
  };
  warranty?: { endsAt: string; months: number };
  /** `discount` is already formatted for the locale ("15%", "15 %"); `codeExpiresAt` only when the code has one. */
  /** `singleUse`: the code came from the store's pool (this customer's own, accepted once). */
  offer?: {
    title: string;
    code?: string;
    singleUse?: boolean;
    discount?: string;
    codeExpiresAt?: string;
    url?: string;
  };
  maintenance?: { number: number };
}

export interface RenderedEmail {
  subject: string;
  preheader: string;
  html: string;
  text: string;
}

/** Which part of a template failed; `template` is the override as a whole, `variables` the data passed in. */
export type TemplatePart = 'template' | 'subject' | 'preheader' | 'mjml' | 'text' | 'variables';

/** A template (built-in or override) that cannot be compiled or rendered; names the template, part and problem. */
export class TemplateError extends Error {
  override name = 'TemplateError';
  constructor(
    readonly template: string,
    readonly part: TemplatePart,
    problem: string,
    readonly locale?: Locale,
  ) {
    super(`Email template ${template}${locale ? ` (${locale})` : ''}, ${part}: ${problem}`);
  }
}
