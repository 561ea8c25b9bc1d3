import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  readWorkflow,
  SEQUENCE_SUMMARY_SUBSTITUTION,
  STEP_LAMBDA_SUBSTITUTION,
  workflowSubstitutions,
  workflows,
} from '../../infra/workflows.ts';
import { actionsOf, arnText, resourcesOf, type Synthesized, statementsOf, synthesize } from './support.ts';

let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthesize();
});

const machineNamed = (name: string) => {
  const machines = synthesized.template.findResources('AWS::StepFunctions::StateMachine', {
    Properties: { StateMachineName: name },
  });
  const [logicalId, ...others] = Object.keys(machines);
  expect(others).toEqual([]);
  return { logicalId: logicalId as string, properties: machines[logicalId as string]?.Properties };
};

describe('state machines', () => {
  it.each(workflows)('deploys $stateMachineName from its file, bound to its own step function', (workflow) => {
    const { properties } = machineNamed(workflow.stateMachineName);
    const ownStep = synthesized.logicalId(synthesized.stack.functions.steps[workflow.sequence]);
    expect(properties.DefinitionSubstitutions).toEqual({
      [STEP_LAMBDA_SUBSTITUTION]: { 'Fn::GetAtt': [ownStep, 'Arn'] },
      [SEQUENCE_SUMMARY_SUBSTITUTION]: workflowSubstitutions(workflow.sequence, 'arn')[SEQUENCE_SUMMARY_SUBSTITUTION],
    });
    // The uploaded definition is the very file the local cloud runs.
    const uploaded = readFileSync(join(synthesized.outdir, `asset.${properties.DefinitionS3Location.Key}`), 'utf8');
    expect(uploaded).toBe(readWorkflow(workflow));
    const placeholders = [...uploaded.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]);
    expect(new Set(placeholders)).toEqual(new Set([STEP_LAMBDA_SUBSTITUTION, SEQUENCE_SUMMARY_SUBSTITUTION]));
  });

  it.each(workflows)('lets $stateMachineName invoke nothing but its own step function', (workflow) => {
    const { properties } = machineNamed(workflow.stateMachineName);
    const statements = statementsOf(synthesized, properties.RoleArn['Fn::GetAtt'][0]);
    const invokes = statements.filter((statement) => actionsOf(statement).some((a) => a.startsWith('lambda:')));
    expect(invokes.flatMap(actionsOf)).toEqual(['lambda:InvokeFunction']);
    const ownStep = synthesized.logicalId(synthesized.stack.functions.steps[workflow.sequence]);
    expect(invokes.flatMap(resourcesOf).map(arnText)).toEqual([`<${ownStep}.Arn>`]);
  });

  // Step Functions adds each log group to the account's CloudWatch Logs resource policy (5,120 characters at most)
  // unless its name starts with /aws/vendedlogs/: https://docs.aws.amazon.com/step-functions/latest/dg/bp-cwl.html
  it.each(workflows)('logs $stateMachineName under /aws/vendedlogs/states/, named after it', (workflow) => {
    const { properties } = machineNamed(workflow.stateMachineName);
    const [destination] = properties.LoggingConfiguration.Destinations;
    const logGroupId = destination.CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
    const logGroup = synthesized.template.toJSON().Resources[logGroupId];
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties.LogGroupName).toBe(`/aws/vendedlogs/states/${workflow.stateMachineName}`);
  });

  it.each(workflows)(
    'runs $stateMachineName as Standard with full logging but no execution data, traced',
    (workflow) => {
      const { properties } = machineNamed(workflow.stateMachineName);
      expect(properties).toMatchObject({
        StateMachineType: 'STANDARD',
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
        TracingConfiguration: { Enabled: true },
      });
    },
  );
});
