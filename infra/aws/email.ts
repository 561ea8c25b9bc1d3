import { Annotations, Duration } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import {
  ConfigurationSet,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AftercareConfig } from '../../functions/shared/config/schema.ts';
import type { DeploySettings } from './settings.ts';

export { sandboxRecipientIdentities, senderIdentities } from './identities.ts';

/**
 * The SES events functions/ses-events records. Not SEND: it says only that SES accepted the message, which the step
 * records itself (state `sent`) when SendEmail answers, so each email would cost one more event and invocation for
 * nothing (about 5 per purchase, half of the function's invocations). The function still understands one.
 */
const DELIVERY_EVENTS = [
  EmailSendingEvent.REJECT,
  EmailSendingEvent.BOUNCE,
  EmailSendingEvent.COMPLAINT,
  EmailSendingEvent.DELIVERY,
  EmailSendingEvent.RENDERING_FAILURE,
];

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

export interface EmailProps {
  config: AftercareConfig;
  settings: DeploySettings;
  /** Receives the configuration set's events from EventBridge. */
  sesEvents: IFunction;
  /** Events the function still failed on after its retries. */
  failures: IQueue;
}

/**
 * SES: the configuration set every email is sent with, its events on the default EventBridge bus routed to the
 * ses-events function (retried, then parked in a queue), and — when `senderDomain` is set — the domain identity with
 * Easy DKIM (publish the three CNAME records from the stack outputs).
 */
export class Email extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly identity?: EmailIdentity;

  constructor(scope: Construct, id: string, props: EmailProps) {
    super(scope, id);
    const { settings } = props;
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: settings.configurationSetName,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSet.addEventDestination('ToEventBridge', {
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: DELIVERY_EVENTS,
    });

    if (settings.senderDomain) {
      this.identity = new EmailIdentity(this, 'SenderDomain', {
        identity: Identity.domain(settings.senderDomain),
        configurationSet: this.configurationSet,
      });
      this.warnAboutOtherDomains(props.config, settings.senderDomain);
    }

    new Rule(this, 'SesEventsRule', {
      description: `SES events of configuration set ${settings.configurationSetName} to the ses-events function`,
      eventPattern: {
        source: ['aws.ses'],
        detail: { mail: { tags: { 'ses:configuration-set': [settings.configurationSetName] } } },
      },
      targets: [
        new LambdaFunction(props.sesEvents, {
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
          deadLetterQueue: props.failures,
        }),
      ],
    });
    // EventBridge invokes asynchronously: a function error is retried by Lambda, then lands in the same queue.
    props.sesEvents.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(props.failures) });
  }

  private warnAboutOtherDomains(config: AftercareConfig, senderDomain: string): void {
    for (const store of config.stores) {
      const domain = domainOf(store.fromAddress);
      if (domain !== senderDomain && !domain.endsWith(`.${senderDomain}`)) {
        Annotations.of(this).addWarningV2(
          'aftercare:sender-domain',
          `store ${store.id} sends from ${store.fromAddress}, outside senderDomain ${senderDomain}: verify that ` +
            'address or domain in SES yourself',
        );
      }
    }
  }
}
