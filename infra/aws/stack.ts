import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { type AftercareConfig, codePoolOffers } from '../../functions/shared/config/schema.ts';
import { Alarms } from './alarms.ts';
import { Api } from './api.ts';
import { OperationsDashboard } from './dashboard.ts';
import { Email } from './email.ts';
import { FailureQueue } from './failures.ts';
import { Functions } from './functions.ts';
import { RunKeeper } from './keeper.ts';
import { setNamePrefix, stackNameFor } from './names.ts';
import { AftercareSecrets } from './secrets.ts';
import { Sequences } from './sequences.ts';
import type { DeploySettings } from './settings.ts';
import { AftercareTable } from './table.ts';

export interface AftercareStackProps extends StackProps {
  config: AftercareConfig;
  settings: DeploySettings;
}

/** `PascalCase` of a store id or platform, for output names (letters and digits only). */
const outputName = (...parts: string[]) =>
  parts
    .flatMap((part) => part.split(/[^A-Za-z0-9]+/))
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

/**
 * Aftercare in one stack: webhooks in through the HTTP API, stored in the table, applied from its stream, one
 * state machine per sequence waking a step function that sends through SES; SES events back into the table.
 */
export class AftercareStack extends Stack {
  readonly table: AftercareTable;
  readonly secrets: AftercareSecrets;
  readonly functions: Functions;
  readonly api: Api;
  readonly sequences: Sequences;
  readonly email: Email;
  readonly alarms: Alarms;
  readonly keeper: RunKeeper;
  /** Dead-letter queues of the asynchronous paths, by what they collect. */
  readonly failureQueues: Record<'apply-stream' | 'ses-events', Queue>;

  constructor(scope: Construct, id: string, props: AftercareStackProps) {
    super(scope, id, { stackName: stackNameFor(props.settings.namePrefix), ...props });
    const { config, settings } = props;
    setNamePrefix(this, settings.namePrefix);
    this.table = new AftercareTable(this, 'Data');
    this.secrets = new AftercareSecrets(this, 'Secrets');
    this.failureQueues = {
      'apply-stream': new FailureQueue(this, 'ApplyFailures', 'the apply function (table stream records)').queue,
      'ses-events': new FailureQueue(this, 'SesEventFailures', 'the ses-events function (EventBridge events)').queue,
    };
    const failures = this.failureQueues;
    this.functions = new Functions(this, 'Functions', {
      config,
      settings,
      table: this.table.table,
      tableDataArns: this.table.dataArns,
      secret: this.secrets.secret,
      applyFailures: failures['apply-stream'],
    });
    this.api = new Api(this, 'Api', { settings, functions: this.functions.byName });
    this.functions.setPublicUrl(this.api.publicUrl);
    this.sequences = new Sequences(this, 'Sequences', { steps: this.functions.steps });
    this.email = new Email(this, 'Email', {
      config,
      settings,
      sesEvents: this.functions.triggeredBy('ses-events'),
      failures: failures['ses-events'],
    });
    this.keeper = new RunKeeper(this, 'RunKeeper', { settings, keeper: this.functions.triggeredBy('schedule') });
    const observed = {
      machines: this.sequences.machines,
      failureQueues: failures,
      httpApi: this.api.httpApi,
      functions: {
        ...this.functions.byName,
        ...Object.fromEntries(Object.entries(this.functions.steps).map(([sequence, fn]) => [`${sequence}-step`, fn])),
      },
      streamConsumer: this.functions.triggeredBy('stream'),
    };
    const codePools = config.stores.flatMap((store) =>
      codePoolOffers(config.defaults, store).map((offer) => ({
        store: store.id,
        offer,
        lowBelow: store.discountCodes.lowPoolAlarmBelow,
      })),
    );
    this.alarms = new Alarms(this, 'Alarms', {
      ...observed,
      codePools,
      ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
    });
    new OperationsDashboard(this, 'Operations', observed);
    this.addOutputs(config);
  }

  private addOutputs(config: AftercareConfig): void {
    const output = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    output('PublicUrl', this.api.publicUrl, 'Base URL of webhooks and of the links in emails');
    for (const store of config.stores) {
      for (const platform of store.platforms) {
        output(
          `WebhookUrl${outputName(store.id, platform)}`,
          `${this.api.publicUrl}/webhooks/${platform}/${store.id}`,
          `Webhook URL to register in ${platform} for store ${store.id}`,
        );
      }
    }
    output('TableName', this.table.table.tableName, 'DynamoDB table (AFTERCARE_TABLE for the operator commands)');
    output('SecretArn', this.secrets.secret.secretArn, 'Secret with the link-signing key and the webhook secrets');
    output('AlarmTopicArn', this.alarms.topic.topicArn, 'SNS topic of all alarms: subscribe to it');
    output('ConfigurationSetName', this.email.configurationSet.configurationSetName, 'SES configuration set');
    this.email.identity?.dkimRecords.forEach((record, index) => {
      output(`DkimRecord${index + 1}`, `${record.name} CNAME ${record.value}`, 'Publish in DNS for Easy DKIM');
    });
    if (this.api.domain) {
      output('CustomDomainTarget', this.api.domain.regionalDomainName, 'Point the custom domain here (CNAME/alias)');
    }
  }
}
