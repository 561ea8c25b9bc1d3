import type { Platform } from '../domain/vocabulary.ts';
import { generic } from './generic.ts';
import { shopify } from './shopify.ts';
import type { Source } from './source.ts';
import { stripe } from './stripe.ts';
import { woocommerce } from './woocommerce.ts';

/**
 * Where a webhook enters: `sources[platform].verify(request, secrets)` proves the sender (SignatureError → 401),
 * then `.parse(request, delivery)` says what it means as a SourceEvent (PayloadError → 400).
 */
export const sources: Record<Platform, Source> = { shopify, woocommerce, stripe, generic };

export { PayloadError, SignatureError } from './errors.ts';
export type { Source, SourceRequest, Verification } from './source.ts';
