import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../clients.ts';
import { keys } from './keys.ts';
import { getItem, tableName, toItem } from './table.ts';

export interface SurveyAnswer {
  storeId: string;
  orderId: string;
  kind: 'nps' | 'csat';
  score: number;
  comment?: string;
  answeredAt: string;
  /** Every earlier answer, when the customer changed their mind. */
  changes: { score: number; at: string }[];
  purchasedAt?: string;
  productTitles?: string[];
}

export function getSurveyAnswer(storeId: string, orderId: string) {
  return getItem<SurveyAnswer>(keys.survey(storeId, orderId));
}

export async function putSurveyAnswer(answer: SurveyAnswer): Promise<void> {
  await dynamoClient().send(
    new PutItemCommand({
      TableName: tableName(),
      Item: toItem({ ...keys.survey(answer.storeId, answer.orderId), ...answer }),
    }),
  );
}
