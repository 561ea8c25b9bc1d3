import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../../functions/shared/clients.ts';
import { now } from '../../functions/shared/clock.ts';
import { wakesFrom } from '../../functions/shared/domain/plan.ts';
import { startRun, startSurveyFollowUp } from '../../functions/shared/sequences.ts';
import { keys } from '../../functions/shared/store/keys.ts';
import type { PurchaseRecord } from '../../functions/shared/store/purchases.ts';
import { getSurveyAnswer } from '../../functions/shared/store/surveys.ts';
import { fromItem, tableName, toItem } from '../../functions/shared/store/table.ts';
import type { AftercareConfig } from '../config.ts';

/**
 * Step Functions keeps executions across restarts; the local interpreter keeps them in memory. When `npm start`
 * reopens its data folder, every open purchase's stored plans are started again: steps already decided are skipped
 * by their records (exactly once), the rest wait for their time as before (a postponed step is decided anew).
 * A survey answer's follow-up (detractor alert and sorry, or review request) is not a stored plan but is started
 * from the answer: it is started again from the stored answer, its sent steps passed over the same way.
 * Returns how many runs were resumed.
 */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: predates the rule; left whole so the branches editing it merge cleanly (issue 16)
export async function resumeSequences(config: AftercareConfig): Promise<number> {
  let resumed = 0;
  for (const store of config.stores) {
    let startKey: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
    do {
      const page = await dynamoClient().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :store',
          ExpressionAttributeValues: toItem({ ':store': keys.storeIndex(store.id) }),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const record = fromItem<PurchaseRecord & { SK: string }>(item);
        if (record?.SK !== 'PURCHASE' || record.status !== 'open') continue;
        for (const plan of Object.values(record.sequences ?? {})) {
          if (!plan) continue;
          // As the newest generation of the run, waking from the first step on: decided steps are passed over.
          const generation = Math.max(plan.generation, record.runGenerations?.[plan.name] ?? 0);
          // Wakes computed afresh, so a plan stored before version 2 (a Wait/Choice loop position) resumes too.
          await startRun({ ...plan, version: 2, generation, wakes: wakesFrom(plan.steps, 0, now()) });
          resumed += 1;
        }
        const answer = await getSurveyAnswer(record.storeId, record.orderId);
        if (answer && (await startSurveyFollowUp(record, answer))) resumed += 1;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
  return resumed;
}
