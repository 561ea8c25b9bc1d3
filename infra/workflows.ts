import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEQUENCES, type SequenceName } from '../functions/shared/domain/vocabulary.ts';

/**
 * The workflow: one ASL file run by every sequence's state machine. CDK loads it with DefinitionBody.fromFile and
 * `workflowSubstitutions`; the local cloud reads the same file and applies the same substitutions with local ARNs.
 */
const here = dirname(fileURLToPath(import.meta.url));
export const WORKFLOWS_DIR = join(here, '..', 'workflows');
export const WORKFLOW_FILE = join(WORKFLOWS_DIR, 'sequence.asl.json');

/** The first part of every physical name (cdk context `namePrefix`); the local cloud always uses this one. */
export const DEFAULT_NAME_PREFIX = 'aftercare';

/** `<prefix>-`: what every state machine name of a stack starts with (AFTERCARE_STATE_MACHINE_PREFIX ends with it). */
export const stateMachineNameStart = (prefix: string) => `${prefix}-`;

/** `<prefix>-<sequence>`: the deployed state machine's name, also the last part of its ARN. */
export const stateMachineNameFor = (prefix: string, sequence: SequenceName) =>
  `${stateMachineNameStart(prefix)}${sequence}`;

/** What each sequence's state machine does, in one sentence: the start of its definition's `Comment`. */
const SEQUENCE_SUMMARIES: Record<SequenceName, string> = {
  'follow-up':
    'Follow-up: thanks and getting-started tips after delivery, a check-in some days later, optional care reminders.',
  'satisfaction-survey':
    'Satisfaction survey: the NPS/CSAT question, one reminder; after an answer, the detractor alert and apology or the review request.',
  'warranty-reminder': 'Warranty reminder: before each warranty ends.',
  'upgrade-offer': 'Upgrade, accessory or refill offer after a per-product delay, skipped when already bought.',
};

export interface WorkflowDefinition {
  sequence: SequenceName;
  /** The ASL file (the same for every sequence). */
  file: string;
  /** Name of the state machine under the default prefix (the local cloud's); a stack's own: stateMachineNameFor. */
  stateMachineName: string;
}

export const workflows: readonly WorkflowDefinition[] = SEQUENCES.map((sequence) => ({
  sequence,
  file: WORKFLOW_FILE,
  stateMachineName: stateMachineNameFor(DEFAULT_NAME_PREFIX, sequence),
}));

/** The placeholders of the workflow file: the ARN of the sequence's own step Lambda, and its summary. */
export const STEP_LAMBDA_SUBSTITUTION = 'StepLambdaArn';
export const SEQUENCE_SUMMARY_SUBSTITUTION = 'SequenceSummary';

/** The definition substitutions of one sequence's state machine, for CDK and the local cloud alike. */
export function workflowSubstitutions(sequence: SequenceName, stepLambdaArn: string): Record<string, string> {
  return { [STEP_LAMBDA_SUBSTITUTION]: stepLambdaArn, [SEQUENCE_SUMMARY_SUBSTITUTION]: SEQUENCE_SUMMARIES[sequence] };
}

/** Replaces every `${key}` as Step Functions' DefinitionSubstitutions do; a placeholder without a value is an error. */
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
