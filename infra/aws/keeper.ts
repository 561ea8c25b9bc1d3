import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { DeploySettings } from './settings.ts';

export interface RunKeeperProps {
  settings: DeploySettings;
  keeper: IFunction;
}

/**
 * The run keeper's schedule: an EventBridge rule (settings.keeperSchedule) invoking it. A missed or failed pass
 * loses nothing: the due runs stay due in GSI3 for the next one (so no retries and no dead-letter queue).
 */
export class RunKeeper extends Construct {
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: RunKeeperProps) {
    super(scope, id);
    this.rule = new Rule(this, 'Schedule', {
      description: 'Run keeper: unparks due sequence runs and heals runs whose execution ended',
      schedule: Schedule.expression(props.settings.keeperSchedule),
      targets: [new LambdaFunction(props.keeper, { retryAttempts: 0, maxEventAge: Duration.minutes(5) })],
    });
  }
}
