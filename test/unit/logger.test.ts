import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorFacts } from '../../functions/shared/logger.ts';

/** The JSON log lines Powertools writes (stdout or stderr) while `act` runs. */
async function logged(act: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const capture = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  const spies = [vi.spyOn(process.stdout, 'write'), vi.spyOn(process.stderr, 'write')];
  for (const spy of spies) spy.mockImplementation(capture);
  try {
    await act().catch(() => undefined);
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

const SES_SANDBOX_TEXT =
  'Email address is not verified. The following identities failed the check in region EU-WEST-1: anna.de.vries@example.com';

describe('error logs', () => {
  afterEach(() => {
    vi.resetModules();
  });

  it("keep an unexpected error's text, which Powertools would drop under the reserved key message", async () => {
    // Prepare
    const { httpHandler } = await import('../../functions/shared/http.ts');
    const handler = httpHandler(async () => {
      throw new Error('table not found: aftercare-demo');
    });

    // Act
    const lines = await logged(() => handler({ headers: {} } as never, {} as never));

    // Assess
    expect(lines).toContainEqual(
      expect.objectContaining({ message: 'request failed', error: 'Error', reason: 'table not found: aftercare-demo' }),
    );
  });

  it('never carry the recipient address an SES error text quotes', async () => {
    // Prepare
    const { httpHandler } = await import('../../functions/shared/http.ts');
    const rejected = Object.assign(new Error(SES_SANDBOX_TEXT), { name: 'MessageRejected' });
    const handler = httpHandler(async () => {
      throw rejected;
    });

    // Act
    const lines = await logged(() => handler({ headers: {} } as never, {} as never));

    // Assess
    expect(JSON.stringify(lines)).not.toContain('anna.de.vries@example.com');
    expect(lines).toContainEqual(expect.objectContaining({ error: 'MessageRejected' }));
    expect(errorFacts(rejected).reason).toBe(
      'Email address is not verified. The following identities failed the check in region EU-WEST-1: <address>',
    );
  });
});
