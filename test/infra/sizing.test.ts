import { beforeAll, describe, expect, it } from 'vitest';
import { functionDescriptors } from '../../infra/functions.ts';
import { lambdaLimits } from '../../local-cloud/lambda-runtime.ts';
import { type Synthesized, synthesize } from './support.ts';

describe('function sizing: what CDK deploys is what the local cloud enforces', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthesize({ context: { stepConcurrency: 3 } });
  });

  it('deploys each function with the memory, timeout and reserved concurrency of infra/functions.ts', () => {
    for (const { name, fn } of synthesized.stack.functions.all()) {
      const properties = synthesized.template.toJSON().Resources[synthesized.logicalId(fn)].Properties;
      expect(properties.MemorySize, name).toBe(functionDescriptors[name].sizing.memoryMb);
      expect(properties.Timeout, name).toBe(functionDescriptors[name].sizing.timeoutSeconds);
      const sizing = functionDescriptors[name].sizing.reservedConcurrency;
      const reserved = sizing === 'stepConcurrency' ? 3 : sizing === 'one' ? 1 : undefined;
      expect(properties.ReservedConcurrentExecutions, name).toBe(reserved);
    }
  });

  it('reserves the default stepConcurrency (2) for each step function on the local cloud, as deployed', () => {
    expect(lambdaLimits.stepConcurrency).toBe(2);
    const resources = Object.values(synthesize().template.toJSON().Resources) as {
      Type: string;
      Properties: { FunctionName?: string; ReservedConcurrentExecutions?: number };
    }[];
    const steps = resources.filter(
      (resource) => resource.Type === 'AWS::Lambda::Function' && resource.Properties.FunctionName?.endsWith('-step'),
    );
    expect(steps.map((step) => step.Properties.ReservedConcurrentExecutions)).toEqual([2, 2, 2, 2]);
  });
});
