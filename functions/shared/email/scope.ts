import type { Template } from 'liquidjs';
import { accentOn, inkOn } from '../contrast.ts';
import { textLiquid } from './liquid.ts';
import { TEMPLATES } from './templates/index.ts';
import type { RequiredLink, Section } from './templates/model.ts';
import { type EmailVariables, isMarketing, TemplateError, type TemplateId, type TemplatePart } from './types.ts';

/**
 * What a template may read. Every known field is always present in the scope (null when not given), so only a
 * misspelt or foreign variable trips `strictVariables`; sections a template does not declare are left out.
 */
const ALWAYS: Record<string, readonly string[] | 'any'> = {
  customer: ['firstName'],
  store: [
    'name',
    'logoUrl',
    'logoWidth',
    'brandColor',
    'brandInk',
    'accentColor',
    'supportEmail',
    'reviewUrl',
    'helpUrl',
    'postalAddress',
    'legalLine',
  ],
  order: ['number', 'purchasedAt', 'currency', 'total'],
  products: 'any',
  links: ['unsubscribe', 'preferences', 'survey', 'review', 'offer', 'support'],
};
const SECTIONS: Record<Section, readonly string[]> = {
  survey: ['kind', 'score', 'comment'],
  warranty: ['endsAt', 'months'],
  offer: ['title', 'code', 'singleUse', 'discount', 'codeExpiresAt', 'url'],
  maintenance: ['number'],
};
const DETRACTOR_ALERT: TemplateId = 'satisfaction-survey/detractor-alert';

function allowedVariables(template: TemplateId, part: TemplatePart): Record<string, readonly string[] | 'any'> {
  const allowed = { ...ALWAYS };
  for (const section of TEMPLATES[template].sections) {
    allowed[section] =
      section === 'survey' && template === DETRACTOR_ALERT
        ? [...SECTIONS.survey, 'customerEmail', 'customerName']
        : SECTIONS[section];
  }
  if (part === 'mjml' || part === 'text') allowed.email = ['subject', 'preheader'];
  return allowed;
}

/** Static check: every variable the template reads anywhere (even in branches not taken) must exist. */
export function checkVariables(template: TemplateId, part: TemplatePart, parsed: Template[]): void {
  const allowed = allowedVariables(template, part);
  for (const segments of textLiquid.globalVariableSegmentsSync(parsed)) {
    const [root, key] = segments;
    const keys = typeof root === 'string' ? allowed[root] : undefined;
    const path = segments.filter((segment) => typeof segment !== 'object').join('.');
    if (!keys) throw new TemplateError(template, part, `unknown variable "${path}"`);
    if (keys !== 'any' && typeof key === 'string' && !keys.includes(key)) {
      throw new TemplateError(template, part, `unknown variable "${path}"`);
    }
  }
}

const BRAND_COLOR = /^#[0-9a-fA-F]{6}$/;

function missing(template: TemplateId, what: string): TemplateError {
  return new TemplateError(template, 'variables', `needs ${what}`);
}

function sectionScope(template: TemplateId, section: Section, variables: EmailVariables): object {
  switch (section) {
    case 'survey':
      return surveyScope(template, variables.survey ?? missingSection(template, 'survey'));
    case 'warranty': {
      const warranty = variables.warranty ?? missingSection(template, 'warranty');
      return { endsAt: warranty.endsAt, months: warranty.months };
    }
    case 'offer':
      return offerScope(variables.offer ?? missingSection(template, 'offer'));
    case 'maintenance':
      // The first care reminder needs no counting; callers may leave the section out.
      return { number: variables.maintenance?.number ?? 1 };
  }
}

/** The store's alert alone may name the customer. */
function surveyScope(template: TemplateId, survey: NonNullable<EmailVariables['survey']>): object {
  return {
    kind: survey.kind,
    score: survey.score ?? null,
    comment: survey.comment ?? null,
    ...(template === DETRACTOR_ALERT
      ? { customerEmail: survey.customerEmail ?? null, customerName: survey.customerName?.trim() || null }
      : {}),
  };
}

function offerScope(offer: NonNullable<EmailVariables['offer']>): object {
  return {
    title: offer.title,
    code: offer.code ?? null,
    singleUse: offer.singleUse ?? false,
    discount: offer.discount ?? null,
    codeExpiresAt: offer.codeExpiresAt ?? null,
    url: offer.url ?? null,
  };
}

function missingSection(template: TemplateId, section: Section): never {
  throw missing(template, `variables.${section}`);
}

/** The Liquid scope for one email: validated, with absent optional fields as null. */
export function emailScope(template: TemplateId, variables: EmailVariables): Record<string, unknown> {
  const { customer, store, order } = variables;
  if (!BRAND_COLOR.test(store.brandColor)) {
    throw new TemplateError(
      template,
      'variables',
      `store.brandColor must look like #1f6feb, got "${store.brandColor}"`,
    );
  }
  const scope: Record<string, unknown> = {
    customer: { firstName: customer.firstName?.trim() || null },
    store: storeScope(store),
    order: {
      number: order.number ?? null,
      purchasedAt: order.purchasedAt,
      currency: order.currency,
      total: order.total ?? null,
    },
    products: variables.products.map(({ title, quantity, price }) => ({ title, quantity, price: price ?? null })),
    links: linksScope(template, variables),
  };
  for (const section of TEMPLATES[template].sections) scope[section] = sectionScope(template, section, variables);
  return scope;
}

/** The links, with the store's defaults; a template's required links (and a marketing email's unsubscribe) present. */
function linksScope(template: TemplateId, { links, store, offer }: EmailVariables) {
  const scopeLinks = {
    unsubscribe: links.unsubscribe ?? null,
    // One page for both: the footer then shows one link, not the same link twice.
    preferences: links.preferences && links.preferences !== links.unsubscribe ? links.preferences : null,
    survey: (links.survey ?? []).map(({ score, url }) => ({ score, url })),
    review: links.review ?? store.reviewUrl ?? null,
    offer: links.offer ?? offer?.url ?? null,
    support: links.support ?? store.helpUrl ?? `mailto:${store.supportEmail}`,
  };
  if (isMarketing(template) && !scopeLinks.unsubscribe) throw missing(template, 'links.unsubscribe (marketing email)');
  const present: Record<RequiredLink, boolean> = {
    survey: scopeLinks.survey.length > 0,
    review: scopeLinks.review !== null,
    offer: scopeLinks.offer !== null,
  };
  for (const link of TEMPLATES[template].requiredLinks) {
    if (!present[link]) throw missing(template, `links.${link}`);
  }
  return scopeLinks;
}

function storeScope(store: EmailVariables['store']) {
  return {
    name: store.name,
    logoUrl: store.logoUrl ?? null,
    logoWidth: store.logoWidth ?? 120,
    brandColor: store.brandColor,
    // Legible on any brand colour: black or white ink on it, and a shade of it that reads on the white page.
    brandInk: inkOn(store.brandColor),
    accentColor: accentOn(store.brandColor, '#ffffff'),
    supportEmail: store.supportEmail,
    reviewUrl: store.reviewUrl ?? null,
    helpUrl: store.helpUrl ?? null,
    postalAddress: store.postalAddress?.trim() || null,
    legalLine: store.legalLine?.trim() || null,
  };
}
