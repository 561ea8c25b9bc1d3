import type { EmailVariables } from '#shared/email/index.ts';
import purchase from './fixtures/purchase-variables.json' with { type: 'json' };

/** A fresh copy of the purchase fixture for each test, so tests can change it freely. */
export function purchaseVariables(): EmailVariables {
  return structuredClone(purchase) as EmailVariables;
}
