import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, FilterCriteria, Runtime, StartingPosition, Tracing } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AftercareConfig } from '../../functions/shared/config/schema.ts';
import { SEQUENCES, type SequenceName } from '../../functions/shared/domain/vocabulary.ts';
import {
  applyStreamMapping,
  descriptorOf,
  type FunctionAccess,
  type FunctionName,
  type FunctionTrigger,
  functionEnvironment,
  triggeredBy,
} from '../functions.ts';
import { DEFAULT_NAME_PREFIX } from '../workflows.ts';
import { RUN_KEEPER_TABLE_ACTIONS, TABLE_READ_WRITE_ACTIONS } from './access.ts';
import {
  executionsArn,
  sesConfigurationSetArn,
  sesIdentityArn,
  stateMachineArn,
  stateMachineArnPrefix,
  stateMachineNamePrefix,
} from './arns.ts';
import { nodejsBundling } from './bundling.ts';
import { sandboxRecipientIdentities, senderIdentities } from './email.ts';
import { functionNameFor, namePrefixOf } from './names.ts';
import type { DeploySettings } from './settings.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const METRICS_NAMESPACE = 'Aftercare';

/** Memory (also buys CPU: faster cold starts, MJML rendering) and timeout, from the function's descriptor. */
const sizing = (name: FunctionName) => ({
  memorySize: descriptorOf(name).sizing.memoryMb,
  timeout: Duration.seconds(descriptorOf(name).sizing.timeoutSeconds),
});

export interface FunctionsProps {
  config: AftercareConfig;
  settings: DeploySettings;
  table: ITableV2;
  /** The table and its indexes. */
  tableDataArns: string[];
  secret: ISecret;
  /** Stream records the apply function still failed on after its retries. */
  applyFailures: IQueue;
}

type SingleFunctionName = Exclude<FunctionName, 'step'>;

/** `<prefix>-<folder>` (`aftercare-ses-events`); a workflow's step function is `<prefix>-<sequence>-step` (names.ts). */
export function deployedName(name: FunctionName, sequence?: SequenceName, prefix = DEFAULT_NAME_PREFIX): string {
  return functionNameFor(prefix, name, sequence);
}

/** How a function's code is built and run: its entry from infra/functions.ts, bundled per bundling.ts. */
export function functionCode(name: FunctionName, config: AftercareConfig): NodejsFunctionProps {
  return {
    entry: join(ROOT, descriptorOf(name).entry),
    handler: 'handler',
    projectRoot: ROOT,
    depsLockFilePath: join(ROOT, 'package-lock.json'),
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    bundling: nodejsBundling(config),
  };
}

/**
 * Every function of infra/functions.ts, bundled from its entry. The step function is deployed once per workflow
 * (`aftercare-<sequence>-step`) so that each state machine can invoke, and each step can restart, only its own.
 * Permissions and environment come from each function's descriptor (infra/functions.ts); nothing is granted on `*`
 * except X-Ray.
 */
export class Functions extends Construct {
  readonly byName: Record<SingleFunctionName, NodejsFunction>;
  readonly steps: Record<SequenceName, NodejsFunction>;
  private readonly props: FunctionsProps;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    this.props = props;
    const single = (name: SingleFunctionName) => this.create(name, name);
    this.byName = {
      webhook: single('webhook'),
      apply: single('apply'),
      survey: single('survey'),
      unsubscribe: single('unsubscribe'),
      sesEvents: single('sesEvents'),
      keeper: single('keeper'),
    };
    this.steps = Object.fromEntries(
      SEQUENCES.map((sequence) => [sequence, this.create('step', `step-${sequence}`, sequence)]),
    ) as Record<SequenceName, NodejsFunction>;
    this.connectApplyToStream();
  }

  /** The function its descriptor says this trigger starts (the stream, SES events, the schedule). */
  triggeredBy(kind: Exclude<FunctionTrigger['kind'], 'http' | 'workflow'>): NodejsFunction {
    const name = triggeredBy(kind);
    if (name === 'step') throw new Error(`${kind} cannot start a workflow's step function`);
    return this.byName[name];
  }

  /** Every deployed function, with the definition it was built from. */
  all(): { name: FunctionName; fn: NodejsFunction }[] {
    return [
      ...Object.entries(this.byName).map(([name, fn]) => ({ name: name as FunctionName, fn })),
      ...Object.values(this.steps).map((fn) => ({ name: 'step' as const, fn })),
    ];
  }

  /**
   * Links in emails point here. Set after the API exists; only functions that build links get it, and none of them
   * sits behind the API (which would make the API depend on itself).
   */
  setPublicUrl(url: string): void {
    for (const { name, fn } of this.all())
      if (functionEnvironment(name).includes('AFTERCARE_PUBLIC_URL')) fn.addEnvironment('AFTERCARE_PUBLIC_URL', url);
  }

  private create(name: FunctionName, id: string, sequence?: SequenceName): NodejsFunction {
    const { settings, config } = this.props;
    const definition = descriptorOf(name);
    const logGroup = new LogGroup(this, `${id}-logs`, {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Own role: logs only to its own log group (no AWS managed policy), plus what its descriptor's access lists.
    const role = new Role(this, `${id}-role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions.',
    });
    const fn = new NodejsFunction(this, id, {
      ...functionCode(name, config),
      functionName: deployedName(name, sequence, namePrefixOf(this)),
      description: sequence ? `${definition.description} (${sequence})` : definition.description,
      ...sizing(name),
      tracing: Tracing.ACTIVE,
      logGroup,
      role,
      ...(definition.sizing.reservedConcurrency === 'stepConcurrency' && settings.stepConcurrency > 0
        ? { reservedConcurrentExecutions: settings.stepConcurrency }
        : {}),
      ...(definition.sizing.reservedConcurrency === 'one' ? { reservedConcurrentExecutions: 1 } : {}),
      environment: {
        ...this.environmentOf(name, sequence),
        ...(settings.sourceMapStackTraces ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
      },
    });
    this.grant(fn, definition.access, sequence);
    return fn;
  }

  /**
   * The values of the variables the descriptor gives the function (functionEnvironment); AFTERCARE_PUBLIC_URL
   * comes later (setPublicUrl). A variable without a value here is a wiring error, caught at synth.
   */
  private environmentOf(name: FunctionName, sequence?: SequenceName): Record<string, string> {
    const { settings, table, secret } = this.props;
    const values: Record<string, string | undefined> = {
      AFTERCARE_STAGE: 'aws',
      AFTERCARE_TABLE: table.tableName,
      POWERTOOLS_SERVICE_NAME: namePrefixOf(this),
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      AFTERCARE_SEQUENCE: sequence,
      AFTERCARE_SECRETS_ARN: secret.secretArn,
      AFTERCARE_KEEPER_CALLS_PER_SECOND: String(settings.keeperCallsPerSecond),
      AFTERCARE_STATE_MACHINE_PREFIX: stateMachineArnPrefix(this),
      AFTERCARE_CONFIGURATION_SET: settings.configurationSetName,
    };
    const environment: Record<string, string> = {};
    for (const variable of functionEnvironment(name)) {
      if (variable === 'AFTERCARE_PUBLIC_URL') continue;
      const value = values[variable];
      if (value === undefined) throw new Error(`no value for ${variable} of the ${name} function`);
      environment[variable] = value;
    }
    return environment;
  }

  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one function's wiring from its descriptor: each optional part (stream, route, permissions) is one branch
  private grant(fn: NodejsFunction, access: FunctionAccess, ownSequence?: SequenceName): void {
    const { table, tableDataArns, secret, settings, config } = this.props;
    const allow = (actions: string[], resources: string[]) =>
      fn.addToRolePolicy(new PolicyStatement({ actions, resources }));

    if (access.table === 'put') allow(['dynamodb:PutItem'], [table.tableArn]);
    else if (access.table === 'runs') allow(RUN_KEEPER_TABLE_ACTIONS, tableDataArns);
    else allow(TABLE_READ_WRITE_ACTIONS, tableDataArns);

    if (access.secret) {
      secret.grantRead(fn);
    }
    const starts = access.startsSequences === 'own' ? (ownSequence ? [ownSequence] : []) : access.startsSequences;
    if (starts?.length) {
      allow(
        ['states:StartExecution'],
        starts.map((sequence) => stateMachineArn(this, sequence)),
      );
    }
    if (access.describesExecutions) {
      allow(
        ['states:DescribeExecution'],
        SEQUENCES.map((sequence) => executionsArn(this, sequence)),
      );
    }
    if (access.stopsSequences || access.describesExecutions) {
      const executions = SEQUENCES.map((sequence) => executionsArn(this, sequence));
      if (access.stopsSequences) allow(['states:StopExecution'], executions);
      for (const sequence of SEQUENCES) {
        Validations.of(fn.role ?? fn).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stateMachineNamePrefix(this)}${sequence}:*]`,
          reason:
            'Executions are named per purchase at run time; the wildcard covers executions of this one state machine only.',
        });
      }
    }
    if (access.sendsEmail) {
      // In the SES sandbox the recipients are authorised as identities too (sesSandbox); otherwise only the senders.
      const identities = [...senderIdentities(config, settings), ...sandboxRecipientIdentities(settings)];
      allow(
        ['ses:SendEmail'],
        [
          ...[...new Set(identities)].map((identity) => sesIdentityArn(this, identity)),
          sesConfigurationSetArn(this, settings.configurationSetName),
        ],
      );
    }
  }

  /** Newly stored webhook events (infra/functions.ts `applyStreamMapping.filterPattern`), in order; failures bisected, then parked. */
  private connectApplyToStream(): void {
    const mapping = applyStreamMapping;
    this.triggeredBy('stream').addEventSource(
      new DynamoEventSource(this.props.table, {
        startingPosition: StartingPosition[mapping.startingPosition],
        batchSize: mapping.batchSize,
        bisectBatchOnError: mapping.bisectBatchOnError,
        reportBatchItemFailures: mapping.reportBatchItemFailures,
        retryAttempts: mapping.retryAttempts,
        maxRecordAge: Duration.seconds(mapping.maxRecordAgeSeconds),
        onFailure: new SqsDlq(this.props.applyFailures),
        filters: [FilterCriteria.filter(mapping.filterPattern)],
      }),
    );
  }
}
