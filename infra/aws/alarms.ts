import { Duration, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { SEQUENCES, type SequenceName } from '../../functions/shared/domain/vocabulary.ts';
import type { GaugeName, MetricName } from '../../functions/shared/metrics.ts';
import { METRICS_NAMESPACE } from './functions.ts';
import { namePrefixOf } from './names.ts';

/** SES reputation limits: AWS reviews an account from 5 % bounces and 0.1 % complaints; alarm when reaching them. */
export const BOUNCE_RATE_THRESHOLD = 0.05;
export const COMPLAINT_RATE_THRESHOLD = 0.001;
/** Percentage of HTTP API requests answered with 5xx within five minutes. */
export const SERVER_ERROR_PERCENT_THRESHOLD = 5;
/** Oldest unprocessed table-stream record the apply function may lag behind; the mapping discards records at 1 day. */
export const ITERATOR_AGE_THRESHOLD = Duration.hours(1);

/** Runs the run keeper resumed after their execution ended unfinished (RunsResumed), per sequence. */
export const runsResumed = (service: string, sequence: SequenceName) =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: 'RunsResumed' satisfies MetricName,
    dimensionsMap: { service, sequence },
    statistic: 'Sum',
    period: Duration.hours(1),
  });

/** Emails SES refused for good (the step records `send-rejected`), per sequence; `service` is the stack's prefix. */
export const emailsRejected = (service: string, sequence: SequenceName) =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: 'EmailsRejected' satisfies MetricName,
    dimensionsMap: { service, sequence },
    statistic: 'Sum',
    period: Duration.minutes(5),
  });

export const sesReputation = (name: 'BounceRate' | 'ComplaintRate') =>
  new Metric({
    namespace: 'AWS/SES',
    metricName: `Reputation.${name}`,
    statistic: 'Maximum',
    period: Duration.hours(1),
  });

/** Free codes left in one pool, as the step function reports it after each claim (lowest of the hour). */
export const discountCodesRemaining = (service: string, store: string, offer: string) =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: 'DiscountCodesRemaining' satisfies GaugeName,
    dimensionsMap: { service, store, offer },
    statistic: 'Minimum',
    period: Duration.hours(1),
  });

export interface AlarmsProps {
  alarmEmail?: string;
  /** Pools of single-use codes (store × offer SKU) and the count below which each is low. */
  codePools?: readonly { store: string; offer: string; lowBelow: number }[];
  machines: Record<SequenceName, StateMachine>;
  /** Every function, by a label for its alarm (`webhook`, `follow-up-step`). */
  functions: Record<string, IFunction>;
  /** Reads the table stream: its iterator age says how far behind the webhooks it is. */
  streamConsumer: IFunction;
  /** Dead-letter queues by what they collect. */
  failureQueues: Record<string, IQueue>;
  httpApi: HttpApi;
}

/** Alarms to one SNS topic the operator subscribes to (email from context `alarmEmail`, or any other endpoint). */
export class Alarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'Aftercare alarms', enforceSSL: true });
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry alarm names and states only, no personal data; CloudWatch cannot publish to a ' +
        'topic under the AWS managed SNS key, and a customer managed key would cost more than this stack.',
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const fiveMinutes = { period: Duration.minutes(5), statistic: 'Sum' };
    for (const [sequence, machine] of Object.entries(props.machines)) {
      this.add(`${sequence}-failed`, `Executions of ${sequence} failed (a step kept failing after its retries)`, {
        metric: machine.metricFailed(fiveMinutes),
        threshold: 1,
      });
      this.add(`${sequence}-throttled`, `Executions of ${sequence} were throttled by Step Functions`, {
        metric: machine.metricThrottled(fiveMinutes),
        threshold: 1,
      });
    }
    for (const sequence of SEQUENCES) {
      this.add(`${sequence}-rejected`, `SES refused ${sequence} emails for good (send-rejected): see \`why\``, {
        metric: emailsRejected(namePrefixOf(this), sequence),
        threshold: 1,
      });
    }
    for (const sequence of SEQUENCES) {
      this.add(`${sequence}-runs-resumed`, `The run keeper healed ${sequence} runs whose execution ended unfinished`, {
        metric: runsResumed(namePrefixOf(this), sequence),
        threshold: 1,
      });
    }
    for (const [label, fn] of Object.entries(props.functions)) {
      this.add(`${label}-throttled`, `Lambda throttled ${label} (its reserved or the account's concurrency)`, {
        metric: fn.metricThrottles(fiveMinutes),
        threshold: 1,
      });
    }
    this.add('stream-iterator-age', `The apply function is over ${ITERATOR_AGE_THRESHOLD.toHumanString()} behind`, {
      metric: props.streamConsumer.metric('IteratorAge', { period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: ITERATOR_AGE_THRESHOLD.toMilliseconds(),
    });
    for (const [purpose, queue] of Object.entries(props.failureQueues)) {
      this.add(`${purpose}-parked`, `${purpose}: messages parked after their retries; inspect and replay`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        threshold: 1,
      });
    }
    this.add('api-5xx', `More than ${SERVER_ERROR_PERCENT_THRESHOLD} % of API requests failed with 5xx`, {
      metric: new MathExpression({
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        usingMetrics: {
          errors: props.httpApi.metricServerError({ statistic: 'Sum' }),
          requests: props.httpApi.metricCount({ statistic: 'Sum' }),
        },
        period: Duration.minutes(5),
        label: '5xx %',
      }),
      threshold: SERVER_ERROR_PERCENT_THRESHOLD,
    });
    for (const pool of props.codePools ?? []) {
      const description = `Fewer than ${pool.lowBelow} single-use codes left for ${pool.offer} (store ${pool.store}): aftercare codes import`;
      this.add(`codes-low-${pool.store}-${pool.offer.replace(/[^A-Za-z0-9-]/g, '_')}`, description, {
        metric: discountCodesRemaining(namePrefixOf(this), pool.store, pool.offer),
        threshold: pool.lowBelow,
        comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
      });
    }
    this.add('ses-bounce-rate', 'SES bounce rate reached 5 %: sending may be paused by AWS', {
      metric: sesReputation('BounceRate'),
      threshold: BOUNCE_RATE_THRESHOLD,
    });
    this.add('ses-complaint-rate', 'SES complaint rate reached 0.1 %: sending may be paused by AWS', {
      metric: sesReputation('ComplaintRate'),
      threshold: COMPLAINT_RATE_THRESHOLD,
    });
  }

  private add(
    id: string,
    description: string,
    alarm: { metric: IMetric; threshold: number; comparison?: ComparisonOperator },
  ): void {
    const created = new Alarm(this, id, {
      metric: alarm.metric,
      threshold: alarm.threshold,
      alarmDescription: description,
      comparisonOperator: alarm.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    created.addAlarmAction(new SnsAction(this.topic));
    created.addOkAction(new SnsAction(this.topic));
    this.alarms.push(created);
  }
}
