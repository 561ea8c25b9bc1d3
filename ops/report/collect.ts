import { mapLimit, messagesById, purchasesOfCustomer, purchasesOfStore, purchaseTrail } from '../data.ts';
import type { ReportInput } from './aggregate.ts';

/**
 * Reads what a report needs: the period's purchases (GSI2), each one's trail (one query per purchase), the
 * delivery state of every sent message, and the purchases of customers who were offered something (GSI1).
 */
export async function collectReport(storeId: string, from: string, to: string): Promise<ReportInput> {
  const records = await purchasesOfStore(storeId, from, to);
  const trails = (await mapLimit(records, 16, (record) => purchaseTrail(storeId, record.orderId))).filter(
    (trail) => trail !== undefined,
  );
  const sent = trails.flatMap((trail) => trail.decisions.filter((d) => d.status === 'sent'));
  const messages = await messagesById(sent.flatMap((d) => (d.messageId ? [d.messageId] : [])));
  const offered = new Set(
    trails
      .filter((t) => t.decisions.some((d) => d.sequence === 'upgrade-offer' && d.status === 'sent'))
      .flatMap((t) => (t.record.customerKey ? [t.record.customerKey] : [])),
  );
  const customerPurchases = (await mapLimit([...offered], 16, (key) => purchasesOfCustomer(storeId, key))).flat();
  return { storeId, from, to, trails, messages, customerPurchases };
}
