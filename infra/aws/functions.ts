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
import { type AftercareConfig, SEQUENCES, type SequenceName } from '../config.ts';
import { applyStreamMapping, type FunctionName, functionDefinitions, functionSizing } from '../functions.ts';
import { DEFAULT_NAME_PREFIX } from '../workflows.ts';
import { type FunctionAccess, functionAccess, RUN_KEEPER_TABLE_ACTIONS, TABLE_READ_WRITE_ACTIONS } from './access.ts';
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

/** Memory (also buys CPU: faster cold starts, MJML rendering) and timeout per function, from infra/functions.ts. */
const sizing = (name: FunctionName) => ({
  memorySize: functionSizing[name].memoryMb,
  timeout: Duration.seconds(functionSizing[name].timeoutSeconds),
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
    entry: join(ROOT, functionDefinitions[name].entry),
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
 * Permissions and environment come from access.ts; nothing is granted on `*` except X-Ray.
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
      if (functionAccess[name].buildsLinks) fn.addEnvironment('AFTERCARE_PUBLIC_URL', url);
  }

  private create(name: FunctionName, id: string, sequence?: SequenceName): NodejsFunction {
    const { settings, config, table } = this.props;
    const definition = functionDefinitions[name];
    const logGroup = new LogGroup(this, `${id}-logs`, {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Own role: logs only to its own log group (no AWS managed policy), plus what access.ts lists.
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
      ...(functionSizing[name].reservedConcurrency === 'stepConcurrency' && settings.stepConcurrency > 0
        ? { reservedConcurrentExecutions: settings.stepConcurrency }
        : {}),
      ...(functionSizing[name].reservedConcurrency === 'one' ? { reservedConcurrentExecutions: 1 } : {}),
      environment: {
        AFTERCARE_STAGE: 'aws',
        AFTERCARE_TABLE: table.tableName,
        POWERTOOLS_SERVICE_NAME: namePrefixOf(this),
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...(sequence ? { AFTERCARE_SEQUENCE: sequence } : {}),
        ...(settings.sourceMapStackTraces ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
      },
    });
    this.grant(fn, functionAccess[name], sequence);
    return fn;
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
      fn.addEnvironment('AFTERCARE_SECRETS_ARN', secret.secretArn);
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
      fn.addEnvironment('AFTERCARE_KEEPER_CALLS_PER_SECOND', String(settings.keeperCallsPerSecond));
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
    if (starts?.length || access.stopsSequences || access.describesExecutions) {
      fn.addEnvironment('AFTERCARE_STATE_MACHINE_PREFIX', stateMachineArnPrefix(this));
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
      fn.addEnvironment('AFTERCARE_CONFIGURATION_SET', settings.configurationSetName);
    }
  }

  /** Newly stored webhook events (infra/functions.ts `applyStreamMapping.filterPattern`), in order; failures bisected, then parked. */
  private connectApplyToStream(): void {
    const mapping = applyStreamMapping;
    this.byName.apply.addEventSource(
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
