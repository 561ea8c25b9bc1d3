import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Dashboard, GraphWidget, type IMetric, MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { SequenceName } from '../../functions/shared/domain/vocabulary.ts';
import type { MetricName } from '../../functions/shared/metrics.ts';
import { sesReputation } from './alarms.ts';
import { METRICS_NAMESPACE } from './functions.ts';
import { namePrefixOf } from './names.ts';

/** The business metrics the functions publish (Powertools Metrics, namespace Aftercare). */
export const BUSINESS_METRICS = [
  'WebhooksReceived',
  'PurchasesStored',
  'EmailsSent',
  'EmailsSkipped',
  'EmailsPostponed',
  'EmailsRejected',
  'SurveyAnswers',
  'RunsUnparked',
  'RunsResumed',
] as const satisfies readonly MetricName[];
export type BusinessMetric = (typeof BUSINESS_METRICS)[number];

const PERIOD = Duration.minutes(5);

/**
 * One line per metric name, summed over whatever dimensions the functions add (store, sequence…) — of this stack's
 * service only (its name prefix; the quotes make it an exact match, so `aftercare` leaves `aftercare-staging` out:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/search-expression-syntax.html).
 */
const businessMetric = (name: BusinessMetric, service: string): IMetric =>
  new MathExpression({
    expression: `SUM(SEARCH('Namespace="${METRICS_NAMESPACE}" MetricName="${name}" service="${service}"', 'Sum', ${PERIOD.toSeconds()}))`,
    label: name,
    period: PERIOD,
  });

export interface OperationsDashboardProps {
  machines: Record<SequenceName, StateMachine>;
  failureQueues: Record<string, IQueue>;
  httpApi: HttpApi;
  /** Every function, by label. */
  functions: Record<string, IFunction>;
  streamConsumer: IFunction;
}

/** What an operator looks at first: flow in, emails out, what failed, how the sender reputation is doing. */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const graph = (title: string, left: IMetric[]) => new GraphWidget({ title, left, width: 12, height: 6 });
    const service = namePrefixOf(this);
    const business = (name: BusinessMetric) => businessMetric(name, service);
    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(7) });
    this.dashboard.addWidgets(
      graph('Webhooks and purchases', [business('WebhooksReceived'), business('PurchasesStored')]),
      graph('Emails', [
        business('EmailsSent'),
        business('EmailsSkipped'),
        business('EmailsPostponed'),
        business('EmailsRejected'),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Survey answers and the run keeper (unparked, healed runs)', [
        business('SurveyAnswers'),
        business('RunsUnparked'),
        business('RunsResumed'),
      ]),
      graph(
        'Failed executions',
        Object.entries(props.machines).map(([sequence, machine]) =>
          machine.metricFailed({ period: PERIOD, statistic: 'Sum', label: sequence }),
        ),
      ),
    );
    this.dashboard.addWidgets(
      graph('SES bounce and complaint rate', [sesReputation('BounceRate'), sesReputation('ComplaintRate')]),
      graph('API requests and errors', [
        props.httpApi.metricCount({ period: PERIOD, statistic: 'Sum', label: 'requests' }),
        props.httpApi.metricClientError({ period: PERIOD, statistic: 'Sum', label: '4xx' }),
        props.httpApi.metricServerError({ period: PERIOD, statistic: 'Sum', label: '5xx' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph(
        'Parked failures (dead-letter queues)',
        Object.entries(props.failureQueues).map(([purpose, queue]) =>
          queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum', label: purpose }),
        ),
      ),
      graph('Stream lag (apply iterator age, ms)', [
        props.streamConsumer.metric('IteratorAge', { period: PERIOD, statistic: 'Maximum', label: 'apply' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph(
        'Throttled invocations',
        Object.entries(props.functions).map(([label, fn]) =>
          fn.metricThrottles({ period: PERIOD, statistic: 'Sum', label }),
        ),
      ),
      graph(
        'Throttled executions',
        Object.entries(props.machines).map(([sequence, machine]) =>
          machine.metricThrottled({ period: PERIOD, statistic: 'Sum', label: sequence }),
        ),
      ),
    );
  }
}
