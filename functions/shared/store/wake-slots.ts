import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../clients.ts';
import { wakeSecond } from '../domain/pacing.ts';
import { wakesFrom } from '../domain/plan.ts';
import type { Run } from '../domain/run.ts';
import { logger } from '../logger.ts';
import { keys } from './keys.ts';
import { isConditionFailure, tableName, toItem } from './table.ts';

/**
 * The wake-slot counter: every wake time the product creates claims a second (at most `maxPerSecond` per second,
 * account-wide), probing forward from its preferred second when that one is full. One UpdateItem per claim; a
 * full second costs one more per probe. Items expire a day after their second (TTL).
 */
export const MAX_PROBES = 3600;

export async function claimWakeSecond(preferred: number, maxPerSecond: number): Promise<number> {
  const first = wakeSecond(preferred);
  for (let second = first; second < first + MAX_PROBES; second += 1) {
    try {
      await dynamoClient().send(
        new UpdateItemCommand({
          TableName: tableName(),
          Key: toItem(keys.wakeSlot(second)),
          UpdateExpression: 'ADD wakes :one SET expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(wakes) OR wakes < :max',
          ExpressionAttributeValues: toItem({ ':one': 1, ':max': maxPerSecond, ':expires': second + 86_400 }),
        }),
      );
      return second === first ? preferred : second * 1000;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  // An hour of full seconds means the bound is far too low for the load: wake anyway, and say so.
  logger.warn('wake-slot counter full for an hour', { preferred: new Date(preferred).toISOString(), maxPerSecond });
  return preferred;
}

/**
 * Claims a second for each step of a new plan that will wake the step function for customer mail (steps already
 * past are skipped at once and service mail is never delayed), then re-derives the wakes.
 */
export async function claimPlanWakes(run: Run, now: number, maxPerSecond: number): Promise<Run> {
  // The steps claim in parallel: they are far apart in time, so they rarely probe the same seconds.
  const steps = await Promise.all(
    run.steps.map(async (step) => {
      const at = Date.parse(step.at);
      const claims = step.to === 'customer' && step.category !== 'service' && !step.late && at > now;
      return claims ? { ...step, at: new Date(await claimWakeSecond(at, maxPerSecond)).toISOString() } : step;
    }),
  );
  steps.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return { ...run, steps, wakes: wakesFrom(steps, 0, now) };
}
