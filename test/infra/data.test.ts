import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableSchema } from '../../functions/shared/store/schema.ts';
import { applyStreamMapping } from '../../infra/functions.ts';
import { type Synthesized, synthesize } from './support.ts';

let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthesize();
});

const keySchema = (partitionKey: string, sortKey: string) => [
  { AttributeName: partitionKey, KeyType: 'HASH' },
  { AttributeName: sortKey, KeyType: 'RANGE' },
];

describe('table', () => {
  it('has the key schema, indexes and TTL of functions/shared/store/schema.ts', () => {
    synthesized.template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: keySchema(tableSchema.partitionKey, tableSchema.sortKey),
      GlobalSecondaryIndexes: tableSchema.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: keySchema(index.partitionKey, index.sortKey),
        Projection: { ProjectionType: 'ALL' },
      })),
      TimeToLiveSpecification: { AttributeName: tableSchema.ttlAttribute, Enabled: true },
    });
  });

  it('is on-demand, recoverable, protected from deletion and streams new and old images', () => {
    synthesized.template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      }),
    });
  });
});

describe('apply from the table stream', () => {
  it('receives only newly stored webhook events, with partial batch failures, bisecting and a dead-letter queue', () => {
    const mappings = synthesized.template.findResources('AWS::Lambda::EventSourceMapping');
    const [mapping, ...others] = Object.values(mappings);
    expect(others).toEqual([]);
    expect(mapping?.Properties).toMatchObject({
      FunctionName: { Ref: synthesized.logicalId(synthesized.stack.functions.byName.apply) },
      EventSourceArn: { 'Fn::GetAtt': [synthesized.logicalId(synthesized.stack.table.table), 'StreamArn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      DestinationConfig: {
        OnFailure: {
          Destination: {
            'Fn::GetAtt': [synthesized.logicalId(synthesized.stack.failureQueues['apply-stream']), 'Arn'],
          },
        },
      },
    });
    const patterns = mapping?.Properties.FilterCriteria.Filters.map((filter: { Pattern: string }) =>
      JSON.parse(filter.Pattern),
    );
    expect(patterns).toEqual([applyStreamMapping.filterPattern]);
  });
});
