import { describe, expect, it } from 'vitest';
import { untilRecorded } from '../../functions/step/send-once.ts';

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
const conditionFailed = () =>
  Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });

describe('the record of an email SES accepted', () => {
  it('lands even when DynamoDB throttles it longer than the SDK retries', async () => {
    // Prepare
    let calls = 0;
    const write = async () => {
      calls += 1;
      if (calls < 4) throw throttled();
      return 'recorded';
    };

    // Act
    const result = await untilRecorded(write);

    // Assess
    expect(result).toBe('recorded');
    expect(calls).toBe(4);
  });

  it('gives up after its attempts, and never retries a condition that failed', async () => {
    // Prepare
    let throttledCalls = 0;
    let conditionCalls = 0;

    // Act + Assess
    await expect(
      untilRecorded(async () => {
        throttledCalls += 1;
        throw throttled();
      }, 3),
    ).rejects.toThrow('Rate exceeded');
    await expect(
      untilRecorded(async () => {
        conditionCalls += 1;
        throw conditionFailed();
      }),
    ).rejects.toThrow('conditional');
    expect(throttledCalls).toBe(3);
    expect(conditionCalls).toBe(1);
  });
});
