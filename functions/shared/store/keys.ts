import { createHash } from 'node:crypto';

/** Key builders of the one table (access patterns are listed in schema.ts). */
export function emailHash(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 40);
}

export const keys = {
  purchase: (storeId: string, orderId: string) => ({ PK: `PURCHASE#${storeId}#${orderId}`, SK: 'PURCHASE' }),
  event: (storeId: string, orderId: string | undefined, platform: string, eventId: string) => ({
    PK: orderId === undefined ? `STORE#${storeId}` : `PURCHASE#${storeId}#${orderId}`,
    SK: `EVENT#${platform}#${eventId}`,
  }),
  step: (storeId: string, orderId: string, sequence: string, stepKey: string) => ({
    PK: `PURCHASE#${storeId}#${orderId}`,
    SK: `STEP#${sequence}#${stepKey}`,
  }),
  survey: (storeId: string, orderId: string) => ({ PK: `PURCHASE#${storeId}#${orderId}`, SK: 'SURVEY' }),
  customer: (storeId: string, customerKey: string) => ({ PK: `CUSTOMER#${storeId}#${customerKey}`, SK: 'PROFILE' }),
  suppressed: (email: string) => ({ PK: `SUPPRESSED#${emailHash(email)}`, SK: 'SUPPRESSED' }),
  message: (messageId: string) => ({ PK: `MESSAGE#${messageId}`, SK: 'MESSAGE' }),
  customerIndex: (storeId: string, customerKey: string) => `CUSTOMER#${storeId}#${customerKey}`,
  storeIndex: (storeId: string) => `STORE#${storeId}`,
};
