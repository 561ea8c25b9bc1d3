import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** The embedded-metric-format lines written while `act` runs. */
async function emitted(act: () => void | Promise<void>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await act();
  } finally {
    write.mockRestore();
  }
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line));
}

describe('business metrics', () => {
  beforeEach(() => {
    vi.resetModules(); // the Metrics instance is created once per module load
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("carry the stack's name prefix as their service, with exactly the dimensions the alarms name", async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'aftercare-staging');
    const { count } = await import('../../functions/shared/metrics.ts');

    // Act
    const [line, ...others] = await emitted(() => count('EmailsRejected', { sequence: 'follow-up' }));

    // Assess: infra/aws/alarms.ts alarms on Aftercare/EmailsRejected with { service, sequence } and nothing else
    expect(others).toEqual([]);
    expect(line).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'Aftercare', Dimensions: [['service', 'sequence']] }] },
      service: 'aftercare-staging',
      sequence: 'follow-up',
      EmailsRejected: 1,
    });
  });

  it('fall back to the service aftercare where no prefix is set', async () => {
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', '');
    const { count } = await import('../../functions/shared/metrics.ts');
    const [line] = await emitted(() => count('EmailsSent', { sequence: 'follow-up' }));
    expect(line).toMatchObject({ service: 'aftercare', EmailsSent: 1 });
  });
});
