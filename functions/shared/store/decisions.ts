import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../clients.ts';
import { keys } from './keys.ts';
import { fromItem, getItem, isConditionFailure, tableName, toItem } from './table.ts';

/** What happened to one planned step: the "why" trail an operator reads. */
export interface StepDecision {
  storeId: string;
  orderId: string;
  sequence: string;
  step: string;
  template: string;
  status: 'sending' | 'sent' | 'skipped' | 'postponed' | 'failed';
  reason?: string;
  /** The reason's particulars, in words: which deadline passed, which order's email covered this one, which slot. */
  detail?: string;
  /** Postponed until (ISO). */
  until?: string;
  plannedAt?: string;
  messageId?: string;
  at: string;
  history: { status: string; reason?: string; detail?: string; until?: string; at: string }[];
  attemptId?: string;
}

export function getDecision(storeId: string, orderId: string, sequence: string, step: string) {
  return getItem<StepDecision>(keys.step(storeId, orderId, sequence, step));
}

export async function listDecisions(storeId: string, orderId: string): Promise<StepDecision[]> {
  const result = await dynamoClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :step)',
      ExpressionAttributeValues: toItem({ ':pk': keys.purchase(storeId, orderId).PK, ':step': 'STEP#' }),
    }),
  );
  return (result.Items ?? []).map((item) => fromItem<StepDecision>(item) as StepDecision);
}

/**
 * Records a final or intermediate decision; the history keeps every earlier one. The answer is the trail item as
 * written (what a read would now return), or undefined when the condition did not hold.
 */
export async function recordDecision(
  previous: StepDecision | undefined,
  decision: Omit<StepDecision, 'history'>,
  condition?: { expectStatus?: StepDecision['status'] | 'absent'; expectAttempt?: string },
): Promise<StepDecision | undefined> {
  const entry = {
    status: decision.status,
    at: decision.at,
    ...(decision.reason ? { reason: decision.reason } : {}),
    ...(decision.until ? { until: decision.until } : {}),
    ...(decision.detail ? { detail: decision.detail } : {}),
  };
  const history = [...(previous?.history ?? []), entry].slice(-50);
  const conditions: string[] = [];
  const values: Record<string, unknown> = {};
  if (condition?.expectStatus === 'absent') conditions.push('attribute_not_exists(PK)');
  else if (condition?.expectStatus) {
    conditions.push('#status = :expected');
    values[':expected'] = condition.expectStatus;
  }
  if (condition?.expectAttempt) {
    conditions.push('attemptId = :attempt');
    values[':attempt'] = condition.expectAttempt;
  }
  try {
    await dynamoClient().send(
      new PutItemCommand({
        TableName: tableName(),
        Item: toItem({
          ...keys.step(decision.storeId, decision.orderId, decision.sequence, decision.step),
          ...decision,
          history,
        }),
        ...(conditions.length
          ? {
              ConditionExpression: conditions.join(' AND '),
              ...(conditions.some((c) => c.includes('#status'))
                ? { ExpressionAttributeNames: { '#status': 'status' } }
                : {}),
              ...(Object.keys(values).length ? { ExpressionAttributeValues: toItem(values) } : {}),
            }
          : {}),
      }),
    );
    return { ...decision, history };
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}
