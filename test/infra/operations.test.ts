import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_FILE } from '../../functions/shared/config/file.ts';
import { SEQUENCES } from '../../functions/shared/domain/vocabulary.ts';
import { BUSINESS_METRICS } from '../../infra/aws/dashboard.ts';
import { type Synthesized, synthesize, tempDir } from './support.ts';

let synthesized: Synthesized;
let topic: string;
beforeAll(() => {
  synthesized = synthesize();
  topic = synthesized.logicalId(synthesized.stack.alarms.topic);
});

const alarmsWhere = (properties: Record<string, unknown>) =>
  Object.values(synthesized.template.findResources('AWS::CloudWatch::Alarm', { Properties: properties }));

describe('alarms', () => {
  it('alarm on the topic when any execution of a sequence fails', () => {
    for (const sequence of SEQUENCES) {
      const machine = synthesized.logicalId(synthesized.stack.sequences.machines[sequence]);
      const found = alarmsWhere({
        Namespace: 'AWS/States',
        MetricName: 'ExecutionsFailed',
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: machine } }],
      });
      expect(found, sequence).toHaveLength(1);
      expect(found[0]?.Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: topic }],
      });
    }
  });

  // Metric names and dimensions: https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html
  it('alarm on the topic when Step Functions throttles executions of a sequence', () => {
    for (const sequence of SEQUENCES) {
      const machine = synthesized.logicalId(synthesized.stack.sequences.machines[sequence]);
      const found = alarmsWhere({
        Namespace: 'AWS/States',
        MetricName: 'ExecutionThrottled',
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: machine } }],
      });
      expect(found, sequence).toHaveLength(1);
      expect(found[0]?.Properties).toMatchObject({ Threshold: 1, Statistic: 'Sum', AlarmActions: [{ Ref: topic }] });
    }
  });

  // Throttles: invocations refused for concurrency (429),
  // https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
  it('alarm on the topic when Lambda throttles any function, each step function included', () => {
    const { byName, steps } = synthesized.stack.functions;
    const functions = [...Object.values(byName), ...Object.values(steps)];
    expect(functions).toHaveLength(10); // six functions (the run keeper among them) and four step functions
    for (const fn of functions) {
      const found = alarmsWhere({
        Namespace: 'AWS/Lambda',
        MetricName: 'Throttles',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: synthesized.logicalId(fn) } }],
      });
      expect(found, fn.node.id).toHaveLength(1);
      expect(found[0]?.Properties).toMatchObject({
        Threshold: 1,
        Statistic: 'Sum',
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: topic }],
      });
    }
  });

  // IteratorAge: age of the last record of each batch, in ms; the mapping discards records older than maxRecordAge.
  // https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html#event-source-mapping-metrics
  it('alarm when the apply function falls an hour behind the table stream, long before records are discarded', () => {
    const apply = synthesized.logicalId(synthesized.stack.functions.byName.apply);
    const found = alarmsWhere({
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: apply } }],
    });
    expect(found).toHaveLength(1);
    expect(found[0]?.Properties).toMatchObject({
      Threshold: 3_600_000,
      Statistic: 'Maximum',
      AlarmActions: [{ Ref: topic }],
    });
    const [mapping] = Object.values(synthesized.template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mapping?.Properties.MaximumRecordAgeInSeconds).toBe(86_400);
  });

  it('alarm when SES refuses an email of a sequence for good (the step records send-rejected)', () => {
    for (const sequence of SEQUENCES) {
      const found = alarmsWhere({
        Namespace: 'Aftercare',
        MetricName: 'EmailsRejected',
        Dimensions: Match.arrayEquals([
          { Name: 'sequence', Value: sequence },
          { Name: 'service', Value: 'aftercare' },
        ]),
      });
      expect(found, sequence).toHaveLength(1);
      expect(found[0]?.Properties).toMatchObject({ Threshold: 1, Statistic: 'Sum', AlarmActions: [{ Ref: topic }] });
    }
  });

  it('alarm as soon as a dead-letter queue holds a message', () => {
    for (const queue of Object.values(synthesized.stack.failureQueues)) {
      const found = alarmsWhere({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [synthesized.logicalId(queue), 'QueueName'] } }],
      });
      expect(found).toHaveLength(1);
      expect(found[0]?.Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    }
  });

  it('alarm at a 5 % rate of 5xx answers', () => {
    const found = alarmsWhere({
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(requests > 0, 100 * errors / requests, 0)' })]),
    });
    expect(found).toHaveLength(1);
    expect(found[0]?.Properties).toMatchObject({ Threshold: 5, AlarmActions: [{ Ref: topic }] });
  });

  it.each([
    ['Reputation.BounceRate', 0.05],
    ['Reputation.ComplaintRate', 0.001],
  ])('alarm when SES %s reaches %d', (metricName, threshold) => {
    const found = alarmsWhere({ Namespace: 'AWS/SES', MetricName: metricName });
    expect(found).toHaveLength(1);
    expect(found[0]?.Properties).toMatchObject({
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: topic }],
    });
  });

  it('put every business metric and the failure signals on the dashboard', () => {
    const dashboards = Object.values(synthesized.template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);
    const signals = ['ExecutionsFailed', 'ExecutionThrottled', 'Throttles', 'IteratorAge'];
    for (const metric of [...BUSINESS_METRICS, ...signals, 'Reputation.BounceRate', 'Reputation.ComplaintRate'])
      expect(body).toContain(metric);
  });
});

describe('outputs', () => {
  const apiEndpoint = () => ({
    'Fn::GetAtt': [synthesized.logicalId(synthesized.stack.api.httpApi), 'ApiEndpoint'],
  });

  it.each([
    ['WebhookUrlKitchenWorldShopify', '/webhooks/shopify/kitchen-world'],
    ['WebhookUrlKitchenWorldStripe', '/webhooks/stripe/kitchen-world'],
    ['WebhookUrlBikesWoocommerce', '/webhooks/woocommerce/bikes'],
  ])('%s is the API URL + %s', (name, path) => {
    synthesized.template.hasOutput(name, { Value: { 'Fn::Join': ['', [apiEndpoint(), path]] } });
  });

  it('print the public URL, table, secret, alarm topic — and no webhook URL for platforms a store does not use', () => {
    const outputs = synthesized.template.toJSON().Outputs;
    expect(outputs.PublicUrl.Value).toEqual(apiEndpoint());
    expect(outputs.TableName.Value).toEqual({ Ref: synthesized.logicalId(synthesized.stack.table.table) });
    expect(outputs.SecretArn.Value).toEqual({ Ref: synthesized.logicalId(synthesized.stack.secrets.secret) });
    expect(outputs.AlarmTopicArn.Value).toEqual({ Ref: topic });
    expect(Object.keys(outputs).filter((name) => name.startsWith('WebhookUrl'))).toHaveLength(3);
  });
});

describe('discount code pools', () => {
  it('alarm when a pool of single-use codes falls below the store’s threshold, one alarm per store × offer', () => {
    // Prepare: the demo store's dust-bag offer takes its codes from a pool that is low below 25.
    const config = JSON.parse(readFileSync(DEFAULT_CONFIG_FILE, 'utf8'));
    Object.assign(config.stores[0].productRules[0].rules.offer, { codePool: true });
    config.stores[0].discountCodes = { lowPoolAlarmBelow: 25 };
    const configPath = join(tempDir(), 'aftercare.config.json');
    writeFileSync(configPath, JSON.stringify(config));

    // Act
    const pooled = synthesize({ configPath });
    const codeAlarms = (template: typeof synthesized.template) =>
      Object.values(
        template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'DiscountCodesRemaining' } }),
      );

    // Assess
    const found = codeAlarms(pooled.template);
    expect(found).toHaveLength(1);
    expect(found[0]?.Properties).toMatchObject({
      Namespace: 'Aftercare',
      Threshold: 25,
      ComparisonOperator: 'LessThanThreshold',
      Statistic: 'Minimum',
      Period: 3600,
      AlarmActions: [{ Ref: pooled.logicalId(pooled.stack.alarms.topic) }],
    });
    expect(found[0]?.Properties.Dimensions).toEqual(
      expect.arrayContaining([
        { Name: 'store', Value: 'demo' },
        { Name: 'offer', Value: 'BAGS-10' },
        { Name: 'service', Value: 'aftercare' },
      ]),
    );
    expect(codeAlarms(synthesized.template)).toHaveLength(0); // no pool configured: no alarm
  });
});
