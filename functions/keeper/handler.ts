import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { environment } from '../shared/env.ts';
import { logger } from '../shared/logger.ts';
import { type KeeperReport, keepRuns } from './keeper.ts';

/** EventBridge's scheduled event: only its shape is checked (the keeper reads the clock, not the event time). */
const scheduledEventSchema = z.looseObject({
  'detail-type': z.literal('Scheduled Event'),
  source: z.literal('aws.events'),
});

/** Step Functions calls per second the keeper may make (AFTERCARE_KEEPER_CALLS_PER_SECOND, deploy setting). */
const callsPerSecond = environment().AFTERCARE_KEEPER_CALLS_PER_SECOND;

/** The run keeper, every few minutes (EventBridge rule): unparks due runs and heals runs whose execution ended. */
export async function handler(
  event: unknown,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<KeeperReport> {
  const parsed = scheduledEventSchema.safeParse(event);
  if (!parsed.success) throw new Error(`not a scheduled event: ${parsed.error.issues[0]?.path.join('.') ?? '(root)'}`);
  const report = await keepRuns({ callsPerSecond, remainingMs: () => context.getRemainingTimeInMillis() });
  if (report.examined > 0) logger.info('run keeper pass', { ...report });
  return report;
}
