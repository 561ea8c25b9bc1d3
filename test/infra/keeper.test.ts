import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SEQUENCES } from '../../functions/shared/domain/vocabulary.ts';
import { type Synthesized, synthesize } from './support.ts';

let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthesize();
});

describe('run keeper in the stack', () => {
  it('invokes the keeper function from an EventBridge rule every 5 minutes, without retries (due runs stay due)', () => {
    const keeper = synthesized.logicalId(synthesized.stack.functions.byName.keeper);
    const rules = Object.values(
      synthesized.template.findResources('AWS::Events::Rule', {
        Properties: { ScheduleExpression: 'rate(5 minutes)' },
      }),
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]?.Properties.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [keeper, 'Arn'] },
        RetryPolicy: expect.objectContaining({ MaximumRetryAttempts: 0 }),
      }),
    ]);
    const permissions = Object.values(
      synthesized.template.findResources('AWS::Lambda::Permission', {
        Properties: { Principal: 'events.amazonaws.com', FunctionName: { 'Fn::GetAtt': [keeper, 'Arn'] } },
      }),
    );
    expect(permissions).toHaveLength(1);
  });

  it('takes its schedule and pace from the deploy settings', () => {
    const custom = synthesize({ context: { keeperSchedule: 'rate(1 hour)', keeperCallsPerSecond: '7' } });
    const keeper = custom.template.toJSON().Resources[custom.logicalId(custom.stack.functions.byName.keeper)];
    expect(keeper.Properties.Environment.Variables.AFTERCARE_KEEPER_CALLS_PER_SECOND).toBe('7');
    expect(keeper.Properties.ReservedConcurrentExecutions).toBe(1);
    custom.template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)' });
    expect(() => synthesize({ context: { keeperSchedule: 'cron(0 * * * ? *)' } })).toThrow(/keeperSchedule/);
  });

  it('indexes run items by due time in GSI3 of the table', () => {
    const [table] = Object.values(synthesized.template.findResources('AWS::DynamoDB::GlobalTable'));
    expect(table?.Properties.GlobalSecondaryIndexes).toContainEqual(
      expect.objectContaining({
        IndexName: 'GSI3',
        KeySchema: [
          { AttributeName: 'GSI3PK', KeyType: 'HASH' },
          { AttributeName: 'GSI3SK', KeyType: 'RANGE' },
        ],
      }),
    );
  });

  it('alarms on the topic when the keeper heals (resumes) runs of a sequence', () => {
    const topic = synthesized.logicalId(synthesized.stack.alarms.topic);
    for (const sequence of SEQUENCES) {
      const found = Object.values(
        synthesized.template.findResources('AWS::CloudWatch::Alarm', {
          Properties: {
            Namespace: 'Aftercare',
            MetricName: 'RunsResumed',
            Dimensions: Match.arrayEquals([
              { Name: 'sequence', Value: sequence },
              { Name: 'service', Value: 'aftercare' },
            ]),
          },
        }),
      );
      expect(found, sequence).toHaveLength(1);
      expect(found[0]?.Properties).toMatchObject({ Threshold: 1, AlarmActions: [{ Ref: topic }] });
    }
  });
});
