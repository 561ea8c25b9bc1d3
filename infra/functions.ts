import { EVENT_SORT_KEY_PREFIX } from '../functions/shared/store/keys.ts';

/**
 * Every Lambda function of Aftercare: where its handler lives and what starts it. CDK deploys exactly these
 * entries; the local cloud imports the same modules and calls the same exported `handler`.
 */
export const functionDefinitions = {
  webhook: {
    entry: 'functions/webhook/handler.ts',
    trigger: 'http',
    description: 'Verifies and stores purchase webhooks',
  },
  apply: {
    entry: 'functions/apply/handler.ts',
    trigger: 'stream',
    description: 'Folds stored webhook events into purchases and starts the sequences',
  },
  step: {
    entry: 'functions/step/handler.ts',
    trigger: 'workflow',
    description: 'Runs one step of a sequence: re-checks eligibility, then sends, skips or postpones',
  },
  survey: { entry: 'functions/survey/handler.ts', trigger: 'http', description: 'Survey answer pages' },
  unsubscribe: {
    entry: 'functions/unsubscribe/handler.ts',
    trigger: 'http',
    description: 'Unsubscribe and preferences',
  },
  sesEvents: {
    entry: 'functions/ses-events/handler.ts',
    trigger: 'ses-events',
    description: 'Records deliveries, suppresses bounced and complaining addresses',
  },
  keeper: {
    entry: 'functions/keeper/handler.ts',
    trigger: 'schedule',
    description: 'Run keeper: resumes parked sequence runs before their wake and heals runs whose execution ended',
  },
} as const;

/**
 * How each function is deployed: memory (also buys CPU), timeout, and whether its reserved concurrency is the
 * `stepConcurrency` deploy setting (infra/aws/settings.ts; one step function per workflow, each with its own).
 * CDK deploys these; the local cloud enforces the same timeout and concurrency.
 */
export const functionSizing = {
  webhook: { memoryMb: 512, timeoutSeconds: 10, reservedConcurrency: 'none' },
  apply: { memoryMb: 512, timeoutSeconds: 60, reservedConcurrency: 'none' },
  step: { memoryMb: 1024, timeoutSeconds: 30, reservedConcurrency: 'stepConcurrency' },
  survey: { memoryMb: 512, timeoutSeconds: 10, reservedConcurrency: 'none' },
  unsubscribe: { memoryMb: 512, timeoutSeconds: 10, reservedConcurrency: 'none' },
  sesEvents: { memoryMb: 256, timeoutSeconds: 30, reservedConcurrency: 'none' },
  // One pass at a time (reserved 1): two overlapping passes would judge the same due runs twice.
  keeper: { memoryMb: 256, timeoutSeconds: 240, reservedConcurrency: 'one' },
} as const satisfies Record<
  keyof typeof functionDefinitions,
  { memoryMb: number; timeoutSeconds: number; reservedConcurrency: 'none' | 'stepConcurrency' | 'one' }
>;

export type FunctionName = keyof typeof functionDefinitions;

/**
 * The apply function's event source mapping on the table stream, read by CDK (`connectApplyToStream`) and by the
 * local cloud's stream delivery (local-cloud/stream-mapping.ts), so both run the same settings.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html
 */
export const applyStreamMapping = {
  startingPosition: 'TRIM_HORIZON',
  batchSize: 25,
  bisectBatchOnError: true,
  reportBatchItemFailures: true,
  /** Retries of a failing record after its first attempt; then it is discarded, its metadata to the on-failure queue. */
  retryAttempts: 5,
  maxRecordAgeSeconds: 86_400,
  /**
   * Which records reach the function: newly stored webhook events. CDK deploys it as the mapping's FilterCriteria;
   * the local stream applies the same pattern (local-cloud/event-filter.ts), so there is no twin to keep in step.
   */
  filterPattern: {
    eventName: ['INSERT'],
    dynamodb: { Keys: { SK: { S: [{ prefix: EVENT_SORT_KEY_PREFIX }] } } },
  },
} as const;
