import { type AttributeValue, QueryCommand } from '@aws-sdk/client-dynamodb';
import { RUN_SHARDS } from '../functions/shared/store/schema.ts';
import { triggeredBy } from '../infra/functions.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './account.ts';
import type { LocalDynamoDB } from './dynamodb.ts';
import type { LocalIam } from './iam.ts';
import { deployedFunctionName } from './iam.ts';
import { invoke, tracked } from './lambda-runtime.ts';
import { LocalSchedule, rateMs } from './schedule.ts';
import type { VirtualClock } from './virtual-clock.ts';

/**
 * The run keeper's EventBridge rule as the stack deploys it: its schedule expression read from the synthesised
 * template, each delivery checked like any EventBridge target (a rule targets the function and its resource policy
 * lets events.amazonaws.com invoke it), then the same handler invoked under Lambda's rules.
 * Returns the schedule and how many runs wait in the index (live or parked) at start.
 */
export async function startRunKeeperSchedule(options: {
  clock: VirtualClock;
  dynamodb: LocalDynamoDB;
  iam: LocalIam;
  tableName: string;
}): Promise<{ schedule: LocalSchedule; waiting: number; anyWaiting: () => Promise<boolean> }> {
  const { clock, dynamodb, iam, tableName } = options;
  const keeper = deployedFunctionName('keeper');
  const [expression, ...others] = iam.schedulesOf(keeper);
  if (!expression || others.length > 0)
    throw new Error(
      `local cloud: expected one scheduled rule for ${keeper}, the stack has ${others.length + (expression ? 1 : 0)}`,
    );
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the schedule's tick: skip when nothing is due, invoke through IAM, re-arm; one loop read as a whole
  const dueTimes = async (limit?: number): Promise<number[]> => {
    const client = dynamodb.backendClient;
    if (!client) return [];
    const times: number[] = [];
    for (let shard = 0; shard < RUN_SHARDS; shard += 1) {
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'GSI3',
            KeyConditionExpression: 'GSI3PK = :shard',
            ExpressionAttributeValues: { ':shard': { S: `RUNS#${shard}` } },
            ProjectionExpression: 'GSI3SK',
            ...(limit ? { Limit: limit } : {}),
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        for (const item of page.Items ?? []) times.push(Date.parse(item.GSI3SK?.S?.split('#')[0] ?? ''));
        startKey = limit ? undefined : page.LastEvaluatedKey;
      } while (startKey);
    }
    return times.filter(Number.isFinite);
  };
  const schedule = new LocalSchedule(
    clock,
    rateMs(expression),
    () =>
      tracked(async () => {
        if (!(await iam.deliversEvents(keeper))) return;
        await invoke(triggeredBy('schedule'), {
          version: '0',
          id: crypto.randomUUID(),
          'detail-type': 'Scheduled Event',
          source: 'aws.events',
          account: LOCAL_ACCOUNT,
          time: new Date(clock.now()).toISOString(),
          region: LOCAL_REGION,
          resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/keeper`],
          detail: {},
        }).catch(() => undefined); // a failed pass loses nothing: its runs stay due for the next tick
      }),
    // The earliest due time: the first item of each shard (GSI3 sorts by due time).
    () =>
      tracked(async () => {
        const times = await dueTimes(1);
        return times.length ? Math.min(...times) : undefined;
      }),
  );
  dynamodb.watch((image) => {
    const dueAt = Date.parse(image.GSI3SK?.S?.split('#')[0] ?? '');
    if (Number.isFinite(dueAt)) schedule.notice(dueAt);
  });
  const waiting = (await dueTimes()).length;
  await schedule.start();
  return { schedule, waiting, anyWaiting: async () => (await dueTimes(1)).length > 0 };
}
