import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  allStates,
  readWorkflow,
  STEP_LAMBDA_SUBSTITUTION,
  substitute,
  WORKFLOW_FILE,
  workflowSubstitutions,
  workflows,
} from '../../infra/workflows.ts';

const aslValidator = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};

describe('the workflow', () => {
  it.each([['sequence.asl.json', WORKFLOW_FILE]])('%s passes asl-validator', (_sequence, file) => {
    const definition = JSON.parse(readFileSync(file, 'utf8'));
    const { isValid, errorsText } = aslValidator(definition);
    expect(isValid, errorsText('\n')).toBe(true);
  });

  it.each([['sequence.asl.json', WORKFLOW_FILE]])(
    '%s waits on computed timestamps, never on hard-coded seconds',
    (_sequence, file) => {
      const states = allStates(JSON.parse(readFileSync(file, 'utf8'))).map(([, state]) => state);
      const waits = states.filter((s) => s.Type === 'Wait');
      expect(waits.length).toBeGreaterThan(0);
      for (const wait of waits) {
        expect(wait.TimestampPath).toBeDefined();
        expect(wait.Seconds ?? wait.Timestamp ?? wait.SecondsPath).toBeUndefined();
      }
    },
  );

  it.each([['sequence.asl.json', WORKFLOW_FILE]])(
    '%s retries SES throttling with backoff and invokes only its own function',
    (_sequence, file) => {
      const text = readFileSync(file, 'utf8');
      const task = allStates(JSON.parse(text))
        .map(([, state]) => state)
        .find((s) => s.Type === 'Task') as unknown as {
        Resource: string;
        Retry: { ErrorEquals: string[]; BackoffRate?: number }[];
      };
      expect(task.Resource).toBe(`\${${STEP_LAMBDA_SUBSTITUTION}}`);
      expect(task.Retry.find((r) => r.ErrorEquals.includes('Aftercare.Throttled'))?.BackoffRate).toBeGreaterThan(1);
    },
  );

  it.each([['sequence.asl.json', WORKFLOW_FILE]])(
    '%s wakes for one step at a time, in order, with two states per step',
    (_sequence, file) => {
      const definition = JSON.parse(readFileSync(file, 'utf8'));
      const map = definition.States[definition.StartAt];
      expect(map).toMatchObject({ Type: 'Map', ItemsPath: '$.wakes', MaxConcurrency: 1, End: true });
      const { StartAt, States } = map.ItemProcessor;
      expect(States[StartAt]).toMatchObject({ Type: 'Wait', Next: 'RunStep' });
      expect(States.RunStep).toMatchObject({ Type: 'Task', End: true });
      expect(Object.keys(States)).toHaveLength(2);
    },
  );

  it.each(workflows)('$sequence substitutes into valid ASL naming its own step Lambda and what it does', (workflow) => {
    const arn = `arn:aws:lambda:eu-west-1:123456789012:function:aftercare-${workflow.sequence}-step`;
    const definition = JSON.parse(substitute(readWorkflow(workflow), workflowSubstitutions(workflow.sequence, arn)));
    expect(aslValidator(definition).isValid).toBe(true);
    expect(JSON.stringify(definition)).not.toContain('${');
    const task = allStates(definition).find(([, state]) => state.Type === 'Task')?.[1];
    expect(task?.Resource).toBe(arn);
    expect(definition.Comment).toMatch(/^[A-Z][^.]+[.;]/);
  });

  it('is one file for every sequence, with distinct summaries', () => {
    expect(new Set(workflows.map((w) => w.file))).toEqual(new Set([WORKFLOW_FILE]));
    const comments = workflows.map(
      (w) => JSON.parse(substitute(readWorkflow(w), workflowSubstitutions(w.sequence, 'arn'))).Comment,
    );
    expect(new Set(comments).size).toBe(workflows.length);
  });
});
