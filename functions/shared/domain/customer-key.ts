import { createHash } from 'node:crypto';

/** A customer's key: a hash of the normalised address, so tables and indexes never hold the address as a key. */
export function emailHash(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 40);
}
