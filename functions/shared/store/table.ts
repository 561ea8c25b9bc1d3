import { type AttributeValue, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamoClient } from '../clients.ts';
import { environment } from '../env.ts';

export type Key = { PK: string; SK: string };

export function tableName(): string {
  return environment().AFTERCARE_TABLE;
}

export function toItem(value: Record<string, unknown>): Record<string, AttributeValue> {
  return marshall(value, { removeUndefinedValues: true, convertClassInstanceToMap: false });
}

export function fromItem<T>(item: Record<string, AttributeValue> | undefined): T | undefined {
  return item ? (unmarshall(item) as T) : undefined;
}

export async function getItem<T>(key: Key): Promise<T | undefined> {
  const result = await dynamoClient().send(
    new GetItemCommand({ TableName: tableName(), Key: toItem(key), ConsistentRead: true }),
  );
  return fromItem<T>(result.Item);
}

export function isConditionFailure(error: unknown): boolean {
  const name = (error as Error | undefined)?.name;
  return name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException';
}
