import { describe, expect, it } from 'vitest';
import { descriptorOf, functionEnvironment, functionNames, triggeredBy } from '../../infra/functions.ts';
import { routes } from '../../infra/routes.ts';

describe('function descriptors', () => {
  it('give every trigger but HTTP exactly one function', () => {
    expect(triggeredBy('stream')).toBe('apply');
    expect(triggeredBy('workflow')).toBe('step');
    expect(triggeredBy('ses-events')).toBe('sesEvents');
    expect(triggeredBy('schedule')).toBe('keeper');
  });

  it('route each HTTP path and method to one function only', () => {
    const keys = routes.map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(routes.map((route) => route.function).sort()).toEqual(
      ['survey', 'survey', 'unsubscribe', 'unsubscribe', 'webhook'].sort(),
    );
    for (const name of functionNames)
      if (descriptorOf(name).trigger.kind !== 'http') expect(routes.some((r) => r.function === name)).toBe(false);
  });

  it('give a function the variables of what it may touch, and no others', () => {
    expect(functionEnvironment('webhook')).toContain('AFTERCARE_SECRETS_ARN');
    expect(functionEnvironment('webhook')).not.toContain('AFTERCARE_CONFIGURATION_SET');
    expect(functionEnvironment('webhook')).not.toContain('AFTERCARE_STATE_MACHINE_PREFIX');
    expect(functionEnvironment('step')).toEqual(
      expect.arrayContaining(['AFTERCARE_SEQUENCE', 'AFTERCARE_PUBLIC_URL', 'AFTERCARE_CONFIGURATION_SET']),
    );
    expect(functionEnvironment('keeper')).toContain('AFTERCARE_KEEPER_CALLS_PER_SECOND');
    expect(functionEnvironment('sesEvents')).not.toContain('AFTERCARE_SECRETS_ARN');
  });
});
