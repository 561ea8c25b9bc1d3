import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEQUENCES, type SequenceName } from './config.ts';

/**
 * The four workflows. CDK loads each file with DefinitionBody.fromFile and these substitutions; the local cloud
 * loads the same file and applies the same substitutions with local ARNs.
 */
const here = dirname(fileURLToPath(import.meta.url));
export const WORKFLOWS_DIR = join(here, '..', 'workflows');

/** The first part of every physical name (cdk context `namePrefix`); the local cloud always uses this one. */
export const DEFAULT_NAME_PREFIX = 'aftercare';

/** `<prefix>-`: what every state machine name of a stack starts with (AFTERCARE_STATE_MACHINE_PREFIX ends with it). */
export const stateMachineNameStart = (prefix: string) => `${prefix}-`;

/** `<prefix>-<sequence>`: the deployed state machine's name, also the last part of its ARN. */
export const stateMachineNameFor = (prefix: string, sequence: SequenceName) =>
  `${stateMachineNameStart(prefix)}${sequence}`;

export interface WorkflowDefinition {
  sequence: SequenceName;
  file: string;
  /** Name of the state machine under the default prefix (the local cloud's); a stack's own: stateMachineNameFor. */
  stateMachineName: string;
}

export const workflows: readonly WorkflowDefinition[] = SEQUENCES.map((sequence) => ({
  sequence,
  file: join(WORKFLOWS_DIR, `${sequence}.asl.json`),
  stateMachineName: stateMachineNameFor(DEFAULT_NAME_PREFIX, sequence),
}));

/** The substitution keys every workflow uses; values are the ARN of that workflow's own step function. */
export const STEP_FUNCTION_SUBSTITUTION = 'StepFunctionArn';

export function substitute(definition: string, substitutions: Record<string, string>): string {
  return definition.replace(/\$\{(\w+)\}/g, (_match, key: string) => {
    const value = substitutions[key];
    if (value === undefined) throw new Error(`workflow uses \${${key}} but no substitution is given`);
    return value;
  });
}

export function readWorkflow(workflow: WorkflowDefinition): string {
  return readFileSync(workflow.file, 'utf8');
}

export interface WorkflowState {
  Type: string;
  Resource?: string;
  ItemProcessor?: StateMachineDefinition;
  [field: string]: unknown;
}

export interface StateMachineDefinition {
  StartAt: string;
  States: Record<string, WorkflowState>;
}

/** Every state with its name, those inside Map states included (names are unique across the whole machine). */
export function allStates(definition: StateMachineDefinition): [string, WorkflowState][] {
  return Object.entries(definition.States).flatMap(([name, state]): [string, WorkflowState][] => [
    [name, state],
    ...(state.ItemProcessor ? allStates(state.ItemProcessor) : []),
  ]);
}
