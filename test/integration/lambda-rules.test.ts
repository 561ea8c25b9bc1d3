import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { invoke, lambdaLimits } from '../../local-cloud/lambda-runtime.ts';
import { localFunctionArn } from '../../local-cloud/stepfunctions.ts';
import { postWebhook, startTestCloud } from '../support/local.ts';

const MB = 1024 * 1024;

/** A wake of a run for an order the table does not know: the step function looks it up and skips it. */
function stepEvent(orderId: string) {
  const at = '2030-01-02T10:00:00.000Z';
  return {
    state: {
      version: 2,
      storeId: 'demo',
      orderId,
      sequence: 'follow-up',
      name: orderId,
      plannedAt: at,
      steps: [
        {
          key: 'thanks',
          template: 'follow-up/thanks',
          category: 'tips',
          to: 'customer',
          anchor: 'delivery',
          offsetMs: 0,
          lineIds: [],
          at,
        },
      ],
      wakes: [{ step: 0, at }],
      generation: 0,
    },
    wake: { step: 0, at },
  };
}

async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    return (error as Error).name;
  }
}

describe('the local Lambda refuses what Lambda refuses', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud({ timeScale: 1, startAt: Date.parse('2030-01-02T10:00:00Z') });
  });
  afterEach(() => {
    lambdaLimits.stepConcurrency = 2;
    lambdaLimits.timeoutOverrides = {};
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html (reserved concurrency)
  // https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html (TooManyRequestsException, 429)
  it('throttles a third concurrent invocation of a workflow’s step function reserved at 2, not another workflow’s', async () => {
    // Prepare
    const followUp = { functionArn: localFunctionArn('follow-up-step') };
    const warranty = { functionArn: localFunctionArn('warranty-reminder-step') };

    // Act
    const results = await Promise.all([
      outcome(invoke('step', stepEvent('c-1'), followUp)),
      outcome(invoke('step', stepEvent('c-2'), followUp)),
      outcome(invoke('step', stepEvent('c-3'), followUp)),
      outcome(invoke('step', stepEvent('c-4'), warranty)),
    ]);
    const later = await outcome(invoke('step', stepEvent('c-5'), followUp));

    // Assess
    expect(results).toEqual(['ok', 'ok', 'TooManyRequestsException', 'ok']);
    expect(later).toBe('ok');
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
  it('fails an invocation that runs past its timeout with Sandbox.Timedout', async () => {
    lambdaLimits.timeoutOverrides = { step: 0.001 };
    expect(await outcome(invoke('step', stepEvent('t-1'), { functionArn: localFunctionArn('follow-up-step') }))).toBe(
      'Sandbox.Timedout',
    );
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html (6 MB synchronous payload)
  // https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html (RequestTooLargeException, 413)
  it('refuses a synchronous request over 6 MB with RequestTooLargeException', async () => {
    const event = { body: 'x'.repeat(6 * MB) };
    expect(await outcome(invoke('webhook', event))).toBe('RequestTooLargeException');
  });

  // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html (10 MB payload)
  it('answers a webhook body the function cannot take: 413 up to 6 MB (the webhook), 500 up to 10 MB, 413 beyond', async () => {
    // Prepare
    const body = (size: number) => Buffer.alloc(size, 'x');

    // Act
    const statuses = [];
    for (const size of [2 * MB, 7 * MB, 11 * MB]) {
      const response = await postWebhook(cloud, 'generic', body(size));
      statuses.push([response.status, await response.text()]);
    }

    // Assess: API Gateway cannot hand a 6–10 MB request to Lambda, and says so as a 500, not as the webhook's 413.
    expect(statuses.map(([status]) => status)).toEqual([413, 500, 413]);
    expect(statuses[1]?.[1]).toBe('{"message":"Internal Server Error"}');
  });
});
