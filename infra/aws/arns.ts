import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { SequenceName } from '../config.ts';
import { workflows } from '../workflows.ts';

/**
 * ARNs built from names, not from resources: the functions' policies and environment can name a state machine
 * (or an SES identity) without a reference to it, which keeps the template free of dependency cycles
 * (state machine → step function → its policy → state machine).
 */
function workflowOf(sequence: SequenceName) {
  const workflow = workflows.find((candidate) => candidate.sequence === sequence);
  if (!workflow) throw new Error(`no workflow for sequence ${sequence} in infra/workflows.ts`);
  return workflow;
}

/** `aftercare-` — the part of every state machine name before its sequence (infra/workflows.ts). */
export function stateMachineNamePrefix(): string {
  const prefixes = new Set(workflows.map((w) => w.stateMachineName.slice(0, -w.sequence.length)));
  const [prefix, ...others] = [...prefixes];
  if (prefix === undefined || others.length > 0) throw new Error('state machine names must be <prefix><sequence>');
  return prefix;
}

const states = (scope: IConstruct, resource: string, resourceName: string) =>
  Stack.of(scope).formatArn({ service: 'states', resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

export const stateMachineArn = (scope: IConstruct, sequence: SequenceName) =>
  states(scope, 'stateMachine', workflowOf(sequence).stateMachineName);

/** Every execution of that sequence's state machine. */
export const executionsArn = (scope: IConstruct, sequence: SequenceName) =>
  states(scope, 'execution', `${workflowOf(sequence).stateMachineName}:*`);

/** AFTERCARE_STATE_MACHINE_PREFIX: `arn:aws:states:<region>:<account>:stateMachine:aftercare-`. */
export const stateMachineArnPrefix = (scope: IConstruct) => states(scope, 'stateMachine', stateMachineNamePrefix());

export const sesIdentityArn = (scope: IConstruct, identity: string) =>
  Stack.of(scope).formatArn({ service: 'ses', resource: 'identity', resourceName: identity });

export const sesConfigurationSetArn = (scope: IConstruct, name: string) =>
  Stack.of(scope).formatArn({ service: 'ses', resource: 'configuration-set', resourceName: name });
