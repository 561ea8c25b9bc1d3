import { getStore } from '../config/load.ts';
import type { StoreConfig } from '../config/schema.ts';
import type { PurchaseRecord } from '../domain/purchase-record.ts';
import type { Locale } from '../domain/vocabulary.ts';
import { pickLocale } from '../email/locale.ts';
import { getPurchase } from '../store/purchases.ts';
import type { TokenPayload } from '../tokens.ts';
import { PageError } from './errors.ts';
import { html } from './html.ts';
import { type Brand, brandOf } from './layout.ts';
import { pageStrings } from './strings/index.ts';

/** Who a verified link is for: the store, and the purchase when it is still on file and still theirs. */
export interface LinkContext {
  store: StoreConfig | undefined;
  record: PurchaseRecord | undefined;
  /** The customer's language (from the purchase), else the store's default, else English. */
  locale: Locale;
  brand: Brand | undefined;
  /** The linked order was redacted (customers/redact, shop/redact): the link must not act for anyone any more. */
  redacted: boolean;
}

export async function linkContext(payload: TokenPayload): Promise<LinkContext> {
  const store = getStore(payload.s);
  const found = payload.o ? await getPurchase(payload.s, payload.o) : undefined;
  const record = found?.purchase && found.customerKey === payload.c ? found : undefined;
  const locale = store ? pickLocale(record?.purchase?.customer.locale, store.defaultLocale) : 'en';
  const redacted = found?.status === 'redacted';
  return { store, record, locale, brand: store ? brandOf(store) : undefined, redacted };
}

/** 404 in the customer's language: the link is genuine, but what it points to is gone (redacted, store removed). */
export function gone(context: LinkContext): PageError {
  const { title, text } = pageStrings(context.locale).gone;
  return new PageError(404, {
    status: 404,
    locale: context.locale,
    title,
    ...(context.brand ? { brand: context.brand } : {}),
    body: html`<h1>${title}</h1><p>${text}</p>`,
  });
}
