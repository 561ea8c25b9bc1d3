import type { AftercareConfig } from '../../functions/shared/config/schema.ts';
import type { DeploySettings } from './settings.ts';

/** Pure (no CDK): read by the stack's SES policy and by the local cloud's SES, so both know the same identities. */
const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/**
 * The SES identities the step functions may send from: each store's from-address and its domain (whichever the
 * operator verified), and the configured sender domain (which also covers its subdomains).
 */
export function senderIdentities(config: AftercareConfig, settings: DeploySettings): string[] {
  const identities = config.stores.flatMap((store) => [store.fromAddress.toLowerCase(), domainOf(store.fromAddress)]);
  if (settings.senderDomain) identities.push(settings.senderDomain);
  return [...new Set(identities)].sort();
}

/**
 * While the account is in the SES sandbox, SES authorises each recipient as an identity too: the verified
 * recipients the operator listed (`sesSandboxRecipients`); none once the account has production access.
 */
export function sandboxRecipientIdentities(settings: DeploySettings): string[] {
  if (!settings.sesSandbox) return [];
  return [...new Set(settings.sesSandboxRecipients.map((identity) => identity.toLowerCase()))].sort();
}

/** Is `address` covered by one of `identities` (the address itself, its domain, or a parent domain)? */
export function isVerified(address: string, identities: readonly string[]): boolean {
  return identities.includes(identityFor(address, identities));
}

/**
 * The identity SES authorises a send on (its ARN is the IAM resource): the address itself when verified, else the
 * verified domain or parent domain that covers it, else the bare address (which SES then refuses as unverified).
 */
export function identityFor(address: string, identities: readonly string[]): string {
  const bare = (/<([^>]+)>/.exec(address)?.[1] ?? address).trim().toLowerCase();
  if (identities.includes(bare)) return bare;
  const labels = domainOf(bare).split('.');
  for (let start = 0; start < labels.length; start += 1) {
    const domain = labels.slice(start).join('.');
    if (identities.includes(domain)) return domain;
  }
  return bare;
}
