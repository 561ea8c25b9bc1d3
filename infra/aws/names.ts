import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { SEQUENCES, type SequenceName } from '../../functions/shared/domain/vocabulary.ts';
import { type FunctionName, functionDescriptors, functionNames } from '../functions.ts';
import { stateMachineNameFor } from '../workflows.ts';

/**
 * Physical names. Everything AWS names per account and region starts with the stack's prefix (cdk context
 * `namePrefix`, default `aftercare`), so a second stack (staging) with its own prefix collides with nothing.
 */

/** `<prefix>-<folder>` (`aftercare-ses-events`); a workflow's step function is `<prefix>-<sequence>-step`. */
export function functionNameFor(prefix: string, name: FunctionName, sequence?: SequenceName): string {
  if (sequence) return `${prefix}-${sequence}-step`;
  const folder = functionDescriptors[name].entry.split('/').at(-2);
  return `${prefix}-${folder}`;
}

/** Vended-logs path: keeps the account's CloudWatch Logs resource policy under its 5,120-character limit. */
export const stateMachineLogGroupName = (prefix: string, sequence: SequenceName) =>
  `/aws/vendedlogs/states/${stateMachineNameFor(prefix, sequence)}`;

/** `Aftercare` for the default prefix (existing deployments keep their stack), `Aftercare-staging` for another. */
export const stackNameFor = (prefix: string) => prefix.charAt(0).toUpperCase() + prefix.slice(1);

export interface PhysicalName {
  resource: string;
  name: string;
  /** AWS's maximum length for this kind of name. */
  maxLength: number;
}

/**
 * Every name the prefix produces, with AWS's length limit (the prefix's characters, lower-case letters, digits and
 * `-`, are valid in all of them):
 * Lambda 64 https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html,
 * state machine 80 https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html,
 * log group 512 https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html,
 * SES configuration set 64 https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_CreateConfigurationSet.html,
 * stack 128 https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html.
 */
export function physicalNames(prefix: string): PhysicalName[] {
  const single = functionNames.filter((name) => name !== 'step');
  return [
    ...single.map((name) => ({ resource: 'Lambda function', name: functionNameFor(prefix, name), maxLength: 64 })),
    ...SEQUENCES.flatMap((sequence) => [
      { resource: 'Lambda function', name: functionNameFor(prefix, 'step', sequence), maxLength: 64 },
      { resource: 'state machine', name: stateMachineNameFor(prefix, sequence), maxLength: 80 },
      { resource: 'log group', name: stateMachineLogGroupName(prefix, sequence), maxLength: 512 },
    ]),
    { resource: 'SES configuration set', name: prefix, maxLength: 64 },
    { resource: 'CloudFormation stack', name: stackNameFor(prefix), maxLength: 128 },
  ];
}

const prefixes = new WeakMap<Stack, string>();

/** Called once by the stack, before it builds anything that is named. */
export function setNamePrefix(stack: Stack, prefix: string): void {
  prefixes.set(stack, prefix);
}

/** The name prefix of the stack a construct belongs to. */
export function namePrefixOf(scope: IConstruct): string {
  const stack = Stack.of(scope);
  const prefix = prefixes.get(stack);
  if (prefix === undefined) throw new Error(`stack ${stack.stackName} has no name prefix (see setNamePrefix)`);
  return prefix;
}
