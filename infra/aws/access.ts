import { SEQUENCES, type SequenceName } from '../config.ts';
import type { FunctionName } from '../functions.ts';

/**
 * What each function may touch — the one place to review Aftercare's permissions. functions.ts turns each line
 * into IAM statements on exact resources and into the environment variables the function reads.
 */
export interface FunctionAccess {
  /**
   * `put`: store webhook events only; `read-write`: items of the table and its indexes; `runs`: the run keeper's
   * reads and writes (RUN_KEEPER_TABLE_ACTIONS).
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

export const functionAccess: Record<FunctionName, FunctionAccess> = {
  webhook: { table: 'put', secret: true },
  // sendsEmail: the GDPR data export (customers/data_request) goes to the store by email.
  apply: { table: 'read-write', startsSequences: SEQUENCES, stopsSequences: true, sendsEmail: true },
  // Claiming single-use discount codes needs nothing more: GetItem, Query on GSI1, conditional UpdateItem and PutItem.
  step: { table: 'read-write', secret: true, startsSequences: 'own', sendsEmail: true, buildsLinks: true },
  survey: { table: 'read-write', secret: true, startsSequences: ['satisfaction-survey'] },
  unsubscribe: { table: 'read-write', secret: true },
  sesEvents: { table: 'read-write' },
  keeper: { table: 'runs', startsSequences: SEQUENCES, describesExecutions: true },
};

/**
 * The run keeper's table actions: Query (GSI3 due runs, a purchase's decisions), GetItem (purchase, run item),
 * PutItem (run item, the purchase's runGenerations). No UpdateItem, DeleteItem or batch writes.
 */
export const RUN_KEEPER_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'];

/**
 * Item actions for `read-write`: the ones the functions' code calls (test/infra/permissions.test.ts checks it).
 * No BatchGetItem or ConditionCheckItem (no code uses them), no Scan, no table management.
 */
export const TABLE_READ_WRITE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];
