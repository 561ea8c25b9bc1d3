import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../shared/clients.ts';
import { now as clockNow } from '../shared/clock.ts';
import type { CapState } from '../shared/domain/queue.ts';
import { releaseSendSlot } from '../shared/store/customers.ts';
import { getDecision, recordDecision } from '../shared/store/decisions.ts';
import { keys } from '../shared/store/keys.ts';
import { tableName, toItem } from '../shared/store/table.ts';
import type { SendFacts, SendStore } from './send-once.ts';

/** One send as the table knows it: the step's trail item, the message record, and the cap slot it may hold. */
export interface TableSend {
  facts: SendFacts;
  customerKey: string;
  /** The cap state before the send took its slot; undefined when the email is not capped (service, store mail). */
  capSlot: Pick<CapState, 'lastSentAt' | 'lastSentOf'> | undefined;
}

/** The send-once protocol's store port on the one DynamoDB table. */
export function tableSendStore({ facts, customerKey, capSlot }: TableSend): SendStore {
  const { storeId, orderId, sequence, step } = facts;
  return {
    read: () => getDecision(storeId, orderId, sequence, step),
    write: recordDecision,
    recordMessage: (messageId) => recordMessage(messageId, facts, customerKey),
    release: async () => {
      if (capSlot) await releaseSendSlot(storeId, customerKey, keys.sendKey(storeId, orderId, sequence, step), capSlot);
    },
  };
}

async function recordMessage(messageId: string, facts: SendFacts, customerKey: string): Promise<void> {
  await dynamoClient().send(
    new PutItemCommand({
      TableName: tableName(),
      Item: toItem({
        ...keys.message(messageId),
        messageId,
        storeId: facts.storeId,
        orderId: facts.orderId,
        sequence: facts.sequence,
        step: facts.step,
        customerKey,
        state: 'sent',
        expiresAt: Math.floor(clockNow() / 1000) + 400 * 86_400,
      }),
    }),
  );
}
