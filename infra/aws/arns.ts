import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { SequenceName } from '../../functions/shared/domain/vocabulary.ts';
import { stateMachineNameFor, stateMachineNameStart } from '../workflows.ts';
import { namePrefixOf } from './names.ts';

/**
 * ARNs built from names, not from resources: the functions' policies and environment can name a state machine
 * (or an SES identity) without a reference to it, which keeps the template free of dependency cycles
 * (state machine → step function → its policy → state machine).
 */
const stateMachineName = (scope: IConstruct, sequence: SequenceName) =>
  stateMachineNameFor(namePrefixOf(scope), sequence);

/** `aftercare-` — the part of every state machine name of this stack before its sequence (infra/workflows.ts). */
export const stateMachineNamePrefix = (scope: IConstruct) => stateMachineNameStart(namePrefixOf(scope));

const states = (scope: IConstruct, resource: string, resourceName: string) =>
  Stack.of(scope).formatArn({ service: 'states', resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

export const stateMachineArn = (scope: IConstruct, sequence: SequenceName) =>
  states(scope, 'stateMachine', stateMachineName(scope, sequence));

/** Every execution of that sequence's state machine. */
export const executionsArn = (scope: IConstruct, sequence: SequenceName) =>
  states(scope, 'execution', `${stateMachineName(scope, sequence)}:*`);

/** AFTERCARE_STATE_MACHINE_PREFIX: `arn:aws:states:<region>:<account>:stateMachine:<prefix>-`. */
export const stateMachineArnPrefix = (scope: IConstruct) =>
  states(scope, 'stateMachine', stateMachineNamePrefix(scope));

export const sesIdentityArn = (scope: IConstruct, identity: string) =>
  Stack.of(scope).formatArn({ service: 'ses', resource: 'identity', resourceName: identity });

export const sesConfigurationSetArn = (scope: IConstruct, name: string) =>
  Stack.of(scope).formatArn({ service: 'ses', resource: 'configuration-set', resourceName: name });
