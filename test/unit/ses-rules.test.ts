import { describe, expect, it } from 'vitest';
import { SANDBOX_QUOTA, SendQuota } from '../../local-cloud/ses-rules.ts';

// https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html (sandbox: 200 per 24 hours, 1 per second)
describe('the local SES sending quotas', () => {
  it('lets a sandbox account send 200 messages in 24 hours, one a second, then refuses until the oldest is a day old', () => {
    // Prepare
    const quota = new SendQuota({ identities: [], sandbox: true, maxSendRate: 14 });
    const start = Date.UTC(2026, 0, 1);
    // Act
    const day = Array.from({ length: SANDBOX_QUOTA.max24HourSend }, (_, i) => quota.admit(start + i * 1_000));
    const over = quota.admit(start + 3_600_000);
    const nextDay = quota.admit(start + 86_400_000 + 1);
    // Assess
    expect(day.every((refusal) => refusal === undefined)).toBe(true);
    expect(over).toMatchObject({ type: 'TooManyRequestsException', message: 'Daily message quota exceeded.' });
    expect(nextDay).toBeUndefined();
  });

  it('counts only accepted messages against the rate', () => {
    const quota = new SendQuota({ identities: [], sandbox: false, maxSendRate: 2 });
    expect([quota.admit(0), quota.admit(10), quota.admit(20), quota.admit(30)].map((r) => r?.message)).toEqual([
      undefined,
      undefined,
      'Maximum sending rate exceeded.',
      'Maximum sending rate exceeded.',
    ]);
    expect(quota.admit(1_001)).toBeUndefined();
  });
});
