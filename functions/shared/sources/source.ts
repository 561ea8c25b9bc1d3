import type { SourceEvent, VerifiedDelivery } from '../domain/purchase.ts';
import type { Platform } from '../domain/vocabulary.ts';

export interface SourceRequest {
  /** Header names lower-cased. */
  headers: Record<string, string | undefined>;
  /** The exact bytes as received: signatures are checked over these, never over a re-serialisation. */
  rawBody: Buffer;
  storeId: string;
  /** ms since epoch from the (possibly virtual) clock. */
  now: number;
  /** Shopify: the store's configured shop domain (e.g. example.myshopify.com), when the operator set one. */
  shopDomain?: string;
}

export type Verification = { ping: true } | { ping: false; delivery: VerifiedDelivery };

/** One platform's webhook edge: first prove where a request comes from, then say what it means. */
export interface Source {
  platform: Platform;
  /** Throws SignatureError (→ 401) for a missing, malformed or wrong signature, or a replayed timestamp. */
  verify(request: SourceRequest, secrets: readonly string[]): Verification;
  /** Throws PayloadError (→ 400) naming the field path and why, for malformed JSON or a payload that does not fit. */
  parse(request: SourceRequest, delivery: VerifiedDelivery): SourceEvent;
}

/** A header's value, trimmed; blank counts as absent. */
export function header(request: SourceRequest, name: string): string | undefined {
  return request.headers[name]?.trim() || undefined;
}

export function receivedAt(request: SourceRequest): string {
  return new Date(request.now).toISOString();
}
