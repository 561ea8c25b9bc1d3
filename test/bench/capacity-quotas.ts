import { parseSettings } from '../../infra/aws/settings.ts';
import { workflows } from '../../infra/workflows.ts';
import { lambdaLimits } from '../../local-cloud/lambda-runtime.ts';
import { SANDBOX_QUOTA } from '../../local-cloud/ses-rules.ts';
import { STEP_FUNCTIONS_LIMITS } from '../../local-cloud/sfn-limits.ts';

/**
 * AWS's default quotas on Aftercare's path (us-east-1), each with the page it was read from (November 2026). Where the
 * local cloud enforces a quota, the figure is the local cloud's own definition, so the bench and the emulator agree.
 */
export const SOURCES = {
  stepFunctions: 'https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html',
  lambda: 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
  sesSandbox: 'https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html',
  sesQuotas: 'https://docs.aws.amazon.com/ses/latest/dg/quotas.html',
  dynamodb: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html',
  dynamodbPartition: 'https://repost.aws/knowledge-center/on-demand-table-throttling-dynamodb',
  scheduler: 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/scheduler-quotas.html',
} as const;

const settings = parseSettings({});

export const QUOTAS = {
  openExecutions: STEP_FUNCTIONS_LIMITS.maxOpenExecutions,
  startExecutionBurst: STEP_FUNCTIONS_LIMITS.startExecutionBurst,
  startExecutionPerSecond: STEP_FUNCTIONS_LIMITS.startExecutionPerSecond,
  lambdaAccountConcurrency: lambdaLimits.accountConcurrency,
  /** Reserved concurrency of each workflow's step function, as the stack deploys it (cdk context `stepConcurrency`). */
  stepReservedConcurrency: settings.stepConcurrency,
  stepFunctionCount: workflows.length,
  sesSandboxPerDay: SANDBOX_QUOTA.max24HourSend,
  sesSandboxPerSecond: SANDBOX_QUOTA.maxSendRate,
  dynamodbTableReadUnits: 40_000,
  dynamodbTableWriteUnits: 40_000,
  /** A new on-demand table's instant capacity, before it has seen a higher peak. */
  dynamodbNewTableWriteUnits: 4_000,
  dynamodbNewTableReadUnits: 12_000,
  dynamodbPartitionWriteUnits: 1_000,
  dynamodbPartitionReadUnits: 3_000,
  schedulerSchedules: 10_000_000,
  schedulerCreatePerSecond: 5_000,
  schedulerInvocationsPerSecond: 1_000,
} as const;
