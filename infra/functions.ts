import { SEQUENCES, type SequenceName } from '../functions/shared/domain/vocabulary.ts';
import { EVENT_SORT_KEY_PREFIX } from '../functions/shared/store/keys.ts';

/** What a function may touch: functions.ts (infra/aws) turns each field into IAM statements on exact resources. */
export interface FunctionAccess {
  /**
   * `put`: store webhook events only; `read-write`: items of the table and its indexes; `runs`: the run keeper's
   * reads and writes (RUN_KEEPER_TABLE_ACTIONS in infra/aws/access.ts).
   */
  table: 'put' | 'read-write' | 'runs';
  /** Reads the secret (webhook signing secrets, link-signing key). */
  secret?: boolean;
  /** Starts executions of these sequences' state machines; `own` = the workflow the step function belongs to. */
  startsSequences?: readonly SequenceName[] | 'own';
  /** Stops executions of every sequence (a cancelled or refunded order). */
  stopsSequences?: boolean;
  /** Sends email through SES with the configuration set. */
  sendsEmail?: boolean;
  /** Builds links into emails (needs the public base URL). */
  buildsLinks?: boolean;
  /** Asks Step Functions whether a run's execution still runs (DescribeExecution on every sequence's executions). */
  describesExecutions?: boolean;
}

/** What starts a function. Routes are the HTTP API's (API Gateway and the local server are built from them). */
export type FunctionTrigger =
  | { kind: 'http'; routes: readonly { method: 'GET' | 'POST'; path: string }[] }
  | { kind: 'stream' }
  | { kind: 'workflow' }
  | { kind: 'ses-events' }
  | { kind: 'schedule' };

export interface FunctionDescriptor {
  /** The handler's module; it exports `handler`. Its folder names the deployed function (`aftercare-<folder>`). */
  entry: string;
  description: string;
  trigger: FunctionTrigger;
  /** Memory (also buys CPU) and timeout; reserved concurrency `stepConcurrency` is the deploy setting of that name. */
  sizing: { memoryMb: number; timeoutSeconds: number; reservedConcurrency: 'none' | 'stepConcurrency' | 'one' };
  /** The one place to review what the function may touch; its environment follows from it (functionEnvironment). */
  access: FunctionAccess;
}

/**
 * Every Lambda function of Aftercare, one descriptor each: entry, trigger (with routes), sizing and permissions.
 * CDK deploys exactly these (infra/aws/functions.ts, api.ts, keeper.ts); the local cloud imports the same entries,
 * calls the same exported `handler`, routes the same paths and enforces the same timeout and concurrency.
 */
export const functionDescriptors = {
  webhook: {
    entry: 'functions/webhook/handler.ts',
    description: 'Verifies and stores purchase webhooks',
    trigger: { kind: 'http', routes: [{ method: 'POST', path: '/webhooks/{platform}/{storeId}' }] },
    sizing: { memoryMb: 512, timeoutSeconds: 10, reservedConcurrency: 'none' },
    access: { table: 'put', secret: true },
  },
  apply: {
    entry: 'functions/apply/handler.ts',
    description: 'Folds stored webhook events into purchases and starts the sequences',
    trigger: { kind: 'stream' },
    sizing: { memoryMb: 512, timeoutSeconds: 60, reservedConcurrency: 'none' },
    // sendsEmail: the GDPR data export (customers/data_request) goes to the store by email.
    access: { table: 'read-write', startsSequences: SEQUENCES, stopsSequences: true, sendsEmail: true },
  },
  step: {
    entry: 'functions/step/handler.ts',
    description: 'Runs one step of a sequence: re-checks eligibility, then sends, skips or postpones',
    trigger: { kind: 'workflow' },
    sizing: { memoryMb: 1024, timeoutSeconds: 30, reservedConcurrency: 'stepConcurrency' },
    // Claiming single-use discount codes needs nothing more: GetItem, Query on GSI1, conditional UpdateItem and PutItem.
    access: { table: 'read-write', secret: true, startsSequences: 'own', sendsEmail: true, buildsLinks: true },
  },
  survey: {
    entry: 'functions/survey/handler.ts',
    description: 'Survey answer pages',
    trigger: {
      kind: 'http',
      routes: [
        { method: 'GET', path: '/s/{token}' },
        { method: 'POST', path: '/s/{token}' },
      ],
    },
    sizing: { memoryMb: 512, timeoutSeconds: 10, reservedConcurrency: 'none' },
    access: { table: 'read-write', secret: true, startsSequences: ['satisfaction-survey'] },
  },
  unsubscribe: {
    entry: 'functions/unsubscribe/handler.ts',
    description: 'Unsubscribe and preferences',
    trigger: {
      kind: 'http',
      routes: [
        { method: 'GET', path: '/u/{token}' },
        { method: 'POST', path: '/u/{token}' },
      ],
    },
    sizing: { memoryMb: 512, timeoutSeconds: 10, reservedConcurrency: 'none' },
    access: { table: 'read-write', secret: true },
  },
  sesEvents: {
    entry: 'functions/ses-events/handler.ts',
    description: 'Records deliveries, suppresses bounced and complaining addresses',
    trigger: { kind: 'ses-events' },
    sizing: { memoryMb: 256, timeoutSeconds: 30, reservedConcurrency: 'none' },
    access: { table: 'read-write' },
  },
  keeper: {
    entry: 'functions/keeper/handler.ts',
    description: 'Run keeper: resumes parked sequence runs before their wake and heals runs whose execution ended',
    trigger: { kind: 'schedule' },
    // One pass at a time (reserved 1): two overlapping passes would judge the same due runs twice.
    sizing: { memoryMb: 256, timeoutSeconds: 240, reservedConcurrency: 'one' },
    access: { table: 'runs', startsSequences: SEQUENCES, describesExecutions: true },
  },
} as const satisfies Record<string, FunctionDescriptor>;

export type FunctionName = keyof typeof functionDescriptors;

export const functionNames = Object.keys(functionDescriptors) as FunctionName[];

export const descriptorOf = (name: FunctionName): FunctionDescriptor => functionDescriptors[name];

/** The one function a trigger starts (the stream, SES events, the workflow's Task, the schedule): CDK and the local cloud wire it from here. */
export function triggeredBy(kind: Exclude<FunctionTrigger['kind'], 'http'>): FunctionName {
  const [name, ...others] = functionNames.filter((candidate) => descriptorOf(candidate).trigger.kind === kind);
  if (name === undefined || others.length > 0) throw new Error(`exactly one function must be triggered by ${kind}`);
  return name;
}

/**
 * The environment variables a function gets, by name, from what it is and may touch (the values are the
 * deployment's: CDK fills them in). README's list of environment variables documents each.
 */
export function functionEnvironment(name: FunctionName): string[] {
  const { access } = descriptorOf(name);
  const runsSequences = Boolean(access.startsSequences || access.stopsSequences || access.describesExecutions);
  return [
    'AFTERCARE_STAGE',
    'AFTERCARE_TABLE',
    'POWERTOOLS_SERVICE_NAME',
    'POWERTOOLS_METRICS_NAMESPACE',
    ...(name === 'step' ? ['AFTERCARE_SEQUENCE'] : []),
    ...(access.secret ? ['AFTERCARE_SECRETS_ARN'] : []),
    ...(access.describesExecutions ? ['AFTERCARE_KEEPER_CALLS_PER_SECOND'] : []),
    ...(runsSequences ? ['AFTERCARE_STATE_MACHINE_PREFIX'] : []),
    ...(access.sendsEmail ? ['AFTERCARE_CONFIGURATION_SET'] : []),
    ...(access.buildsLinks ? ['AFTERCARE_PUBLIC_URL'] : []),
  ];
}

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
