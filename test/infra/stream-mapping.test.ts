import { beforeAll, describe, expect, it } from 'vitest';
import { applyStreamMapping } from '../../infra/functions.ts';
import { type Synthesized, synthesize } from './support.ts';

let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthesize();
});

describe('the apply event source mapping', () => {
  it('deploys exactly the settings the local cloud delivers the stream with (infra/functions.ts)', () => {
    const [mapping] = Object.values(synthesized.template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mapping?.Properties).toMatchObject({
      StartingPosition: applyStreamMapping.startingPosition,
      BatchSize: applyStreamMapping.batchSize,
      BisectBatchOnFunctionError: applyStreamMapping.bisectBatchOnError,
      FunctionResponseTypes: applyStreamMapping.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [],
      MaximumRetryAttempts: applyStreamMapping.retryAttempts,
      MaximumRecordAgeInSeconds: applyStreamMapping.maxRecordAgeSeconds,
    });
    const patterns = mapping?.Properties.FilterCriteria.Filters.map((filter: { Pattern: string }) =>
      JSON.parse(filter.Pattern),
    );
    expect(patterns).toEqual([applyStreamMapping.filterPattern]);
  });
});
