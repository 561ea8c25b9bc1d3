import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { environment } from './env.ts';

/**
 * Business metrics for the CloudWatch dashboard (namespace Aftercare), as embedded-metric-format log lines.
 * The local cloud disables them (POWERTOOLS_METRICS_DISABLED): there is no CloudWatch to read them.
 */
export type MetricName =
  | 'WebhooksReceived'
  | 'PurchasesStored'
  | 'EmailsSent'
  | 'EmailsSkipped'
  | 'EmailsPostponed'
  | 'EmailsRejected'
  | 'SurveyAnswers'
  /** A table stream record the apply function failed on (it is retried, then parked). */
  | 'EventsNotApplied'
  /** A parked run started again by the run keeper shortly before its next wake. */
  | 'RunsUnparked'
  /** A run whose execution ended unfinished (failed, timed out, aborted, lost), resumed by the keeper: alarmed. */
  | 'RunsResumed';

/** Levels rather than events: read with Minimum (dimensions store and offer). */
export type GaugeName = 'DiscountCodesRemaining';

let metrics: Metrics | undefined;

export function count(name: MetricName, dimensions: Record<string, string> = {}): void {
  emit(name, 1, dimensions);
}

export function gauge(name: GaugeName, value: number, dimensions: Record<string, string>): void {
  emit(name, value, dimensions);
}

function emit(name: MetricName | GaugeName, value: number, dimensions: Record<string, string>): void {
  const { POWERTOOLS_METRICS_DISABLED, POWERTOOLS_SERVICE_NAME } = environment();
  if (POWERTOOLS_METRICS_DISABLED) return; // nothing would be written: skip the work
  // The service dimension tells two stacks in one account apart (the stack sets it to its name prefix).
  metrics ??= new Metrics({ namespace: 'Aftercare', serviceName: POWERTOOLS_SERVICE_NAME });
  const single = metrics.singleMetric();
  for (const [key, value] of Object.entries(dimensions)) single.addDimension(key, value);
  single.addMetric(name, MetricUnit.Count, value);
}
