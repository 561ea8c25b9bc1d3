import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../shared/clients.ts';
import { keys } from '../shared/store/keys.ts';
import { getItem, isConditionFailure, tableName, toItem } from '../shared/store/table.ts';
import { DELIVERY_STATES, type DeliveryUpdate } from './events.ts';

export type RecordResult = 'recorded' | 'superseded' | 'unknown-message';

/**
 * Records a delivery state on the MESSAGE item the step wrote after sending. Only ever moves forward (a late
 * Send never overwrites a Delivery; equal ranks keep the latest), so a redelivered event changes nothing.
 * Never creates the item: a message Aftercare has no record of stays unknown.
 */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: predates the rule; left whole so the branches editing it merge cleanly (issue 16)
export async function recordDeliveryState(messageId: string, update: DeliveryUpdate): Promise<RecordResult> {
  const rank = DELIVERY_STATES[update.state];
  const optional = {
    ...(update.bounceType ? { ':bounceType': update.bounceType } : {}),
    ...(update.bounceSubType ? { ':bounceSubType': update.bounceSubType } : {}),
    ...(update.diagnostic ? { ':diagnostic': update.diagnostic } : {}),
  };
  const assignments = ['#state = :state', 'stateAt = :at', 'stateRank = :rank'].concat(
    Object.keys(optional).map((name) => `${name.slice(1)} = ${name}`),
  );
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await dynamoClient().send(
        new UpdateItemCommand({
          TableName: tableName(),
          Key: toItem(keys.message(messageId)),
          UpdateExpression: `SET ${assignments.join(', ')}`,
          ConditionExpression:
            'attribute_exists(PK) AND (attribute_not_exists(stateRank) OR stateRank < :rank OR (stateRank = :rank AND stateAt <= :at))',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: toItem({ ':state': update.state, ':at': update.at, ':rank': rank, ...optional }),
        }),
      );
      return 'recorded';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const current = await getItem<{ stateRank?: number; stateAt?: string }>(keys.message(messageId));
    if (!current) return 'unknown-message';
    const currentRank = current.stateRank ?? 0;
    if (currentRank > rank || (currentRank === rank && (current.stateAt ?? '') > update.at)) return 'superseded';
    // The step wrote the item between our write and our read: write again.
  }
  throw new Error(`delivery state of message ${messageId} kept changing; leaving the event for a retry`);
}
