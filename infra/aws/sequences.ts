import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { SequenceName } from '../../functions/shared/domain/vocabulary.ts';
import { stateMachineNameFor, workflowSubstitutions, workflows } from '../workflows.ts';
import { namePrefixOf, stateMachineLogGroupName } from './names.ts';

export interface SequencesProps {
  /** Each workflow's own step function. */
  steps: Record<SequenceName, IFunction>;
}

/**
 * One Standard state machine per sequence, all from workflows/sequence.asl.json — the very file the local cloud
 * runs — with its `${StepLambdaArn}` bound to that sequence's own step function, which is all its role may invoke. Logs carry
 * no execution data (inputs hold email addresses) and go to /aws/vendedlogs/states/<name> (names.ts).
 */
export class Sequences extends Construct {
  readonly machines: Record<SequenceName, StateMachine>;

  constructor(scope: Construct, id: string, props: SequencesProps) {
    super(scope, id);
    const machines: Partial<Record<SequenceName, StateMachine>> = {};
    const prefix = namePrefixOf(this);
    for (const workflow of workflows) {
      const step = props.steps[workflow.sequence];
      const machine = new StateMachine(this, workflow.sequence, {
        stateMachineName: stateMachineNameFor(prefix, workflow.sequence),
        stateMachineType: StateMachineType.STANDARD,
        definitionBody: DefinitionBody.fromFile(workflow.file),
        definitionSubstitutions: workflowSubstitutions(workflow.sequence, step.functionArn),
        logs: {
          destination: new LogGroup(this, `${workflow.sequence}-logs`, {
            logGroupName: stateMachineLogGroupName(prefix, workflow.sequence),
            retention: RetentionDays.ONE_MONTH,
            removalPolicy: RemovalPolicy.DESTROY,
          }),
          level: LogLevel.ALL,
          includeExecutionData: false,
        },
        tracingEnabled: true,
      });
      // The definition names the unqualified function ARN; grantInvoke would also allow every version (`:*`).
      machine.addToRolePolicy(
        new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [step.functionArn] }),
      );
      Validations.of(machine).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Log delivery (logs:*LogDelivery, DescribeLogGroups, …) and X-Ray (PutTraceSegments, …) do not support ' +
          'resource-level permissions; Step Functions requires them on "*".',
      });
      machines[workflow.sequence] = machine;
    }
    this.machines = machines as Record<SequenceName, StateMachine>;
  }
}
