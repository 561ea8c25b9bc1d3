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
export async function recordDeliveryState(messageId: string, update: DeliveryUpdate): Promise<RecordResult> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await dynamoClient().send(forwardUpdate(messageId, update));
      return 'recorded';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const current = await getItem<{ stateRank?: number; stateAt?: string }>(keys.message(messageId));
    if (!current) return 'unknown-message';
    if (isNewer(current, update)) return 'superseded';
    // The step wrote the item between our write and our read: write again.
  }
  throw new Error(`delivery state of message ${messageId} kept changing; leaving the event for a retry`);
}

/** The conditional update that sets the state only over a lower rank, or an earlier time at the same rank. */
function forwardUpdate(messageId: string, update: DeliveryUpdate): UpdateItemCommand {
  const optional = {
    ...(update.bounceType ? { ':bounceType': update.bounceType } : {}),
    ...(update.bounceSubType ? { ':bounceSubType': update.bounceSubType } : {}),
    ...(update.diagnostic ? { ':diagnostic': update.diagnostic } : {}),
  };
  const assignments = ['#state = :state', 'stateAt = :at', 'stateRank = :rank'].concat(
    Object.keys(optional).map((name) => `${name.slice(1)} = ${name}`),
  );
  return new UpdateItemCommand({
    TableName: tableName(),
    Key: toItem(keys.message(messageId)),
    UpdateExpression: `SET ${assignments.join(', ')}`,
    ConditionExpression:
      'attribute_exists(PK) AND (attribute_not_exists(stateRank) OR stateRank < :rank OR (stateRank = :rank AND stateAt <= :at))',
    ExpressionAttributeNames: { '#state': 'state' },
    ExpressionAttributeValues: toItem({
      ':state': update.state,
      ':at': update.at,
      ':rank': DELIVERY_STATES[update.state],
      ...optional,
    }),
  });
}

/** Does the recorded state outrank this update (a higher rank, or a later time at the same rank)? */
function isNewer(current: { stateRank?: number; stateAt?: string }, update: DeliveryUpdate): boolean {
  const rank = DELIVERY_STATES[update.state];
  const currentRank = current.stateRank ?? 0;
  return currentRank > rank || (currentRank === rank && (current.stateAt ?? '') > update.at);
}
