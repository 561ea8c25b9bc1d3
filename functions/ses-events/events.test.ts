import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { interpretSesEvent, type SesOutcome } from './events.ts';

const NOW = '2026-11-05T12:00:00.000Z';

/** A fresh copy of a fixture from ./events, so a test may change it freely. */
function fixture(name: string): Record<string, unknown> & { detail: Record<string, unknown> } {
  return JSON.parse(readFileSync(new URL(`./events/${name}.json`, import.meta.url), 'utf8'));
}

function handled(outcome: SesOutcome): Extract<SesOutcome, { kind: 'handled' }> {
  if (outcome.kind !== 'handled') throw new Error(`expected a handled outcome, got ${JSON.stringify(outcome)}`);
  return outcome;
}

describe('interpretSesEvent', () => {
  it('suppresses a permanently bounced recipient and records the bounce without the address', () => {
    // Act
    const outcome = handled(interpretSesEvent(fixture('bounce-permanent'), NOW));

    // Assess
    expect(outcome.messageId).toBe('0102017f-message-bounce');
    expect(outcome.storeId).toBe('demo');
    expect(outcome.suppress).toEqual({ reason: 'bounce', addresses: ['gone@example.com'] });
    expect(outcome.delivery).toMatchObject({
      state: 'bounced',
      at: '2026-11-02T10:15:01.000Z',
      bounceType: 'Permanent',
      bounceSubType: 'General',
    });
    expect(outcome.delivery.diagnostic).toContain('550 5.1.1');
    expect(JSON.stringify(outcome.delivery)).not.toContain('gone@example.com');
  });

  it.each(['Transient', 'Undetermined'])('records a %s (soft) bounce without suppressing', (bounceType) => {
    // Prepare
    const event = fixture('bounce-transient');
    (event.detail as { bounce: { bounceType: string } }).bounce.bounceType = bounceType;

    // Act
    const outcome = handled(interpretSesEvent(event, NOW));

    // Assess
    expect(outcome.suppress).toBeUndefined();
    expect(outcome.delivery).toMatchObject({ state: 'soft-bounced', bounceType });
  });

  it('suppresses a complaining recipient, but not a "not-spam" report', () => {
    // Prepare
    const notSpam = fixture('complaint');
    (notSpam.detail as { complaint: { complaintFeedbackType: string } }).complaint.complaintFeedbackType = 'not-spam';

    // Act
    const complaint = handled(interpretSesEvent(fixture('complaint'), NOW));
    const notSpamOutcome = handled(interpretSesEvent(notSpam, NOW));

    // Assess
    expect(complaint.suppress).toEqual({ reason: 'complaint', addresses: ['annoyed@example.com'] });
    expect(complaint.delivery).toEqual({ state: 'complained', at: '2026-11-03T08:00:00.000Z' });
    expect(notSpamOutcome.suppress).toBeUndefined();
  });

  it('records a delivery at its own timestamp, so a redelivered event writes the same values', () => {
    // Act
    const first = handled(interpretSesEvent(fixture('delivery'), NOW));
    const again = handled(interpretSesEvent(fixture('delivery'), '2026-12-01T00:00:00.000Z'));

    // Assess
    expect(first.delivery).toEqual({ state: 'delivered', at: '2026-11-02T10:15:01.500Z' });
    expect(again).toEqual(first);
  });

  it('records Send, Reject and Rendering Failure, the reason without any address', () => {
    // Prepare
    const event = (detail: Record<string, unknown>) => ({ ...fixture('delivery'), detail });
    const mail = { messageId: 'm-1', destination: ['x@example.com'] };

    // Act
    const send = handled(interpretSesEvent(event({ eventType: 'Send', mail, send: {} }), NOW));
    const reject = handled(
      interpretSesEvent(event({ eventType: 'Reject', mail, reject: { reason: 'Bad content for x@example.com' } }), NOW),
    );
    const failure = handled(
      interpretSesEvent(event({ eventType: 'Rendering Failure', mail, failure: { errorMessage: 'no name' } }), NOW),
    );

    // Assess
    expect(send.delivery.state).toBe('sent');
    expect(reject.delivery).toMatchObject({ state: 'rejected', diagnostic: 'Bad content for <address>' });
    expect(failure.delivery).toMatchObject({ state: 'rendering-failed', diagnostic: 'no name' });
  });

  it('ignores what it does not know, by type, without throwing', () => {
    // Prepare
    const opened = { ...fixture('delivery'), 'detail-type': 'Email Opened', detail: { eventType: 'Open', mail: {} } };
    const bounceWithoutRecipients = fixture('bounce-permanent');
    (bounceWithoutRecipients.detail as { bounce: { bouncedRecipients: unknown[] } }).bounce.bouncedRecipients = [];

    // Act + Assess
    expect(interpretSesEvent(opened, NOW)).toEqual({ kind: 'ignored', type: 'Email Opened', why: 'unknown-shape' });
    expect(interpretSesEvent(bounceWithoutRecipients, NOW)).toMatchObject({ kind: 'ignored', why: 'unknown-shape' });
    expect(interpretSesEvent({ source: 'aws.s3', 'detail-type': 'Object Created', detail: {} }, NOW)).toEqual({
      kind: 'ignored',
      type: 'Object Created',
      why: 'not-an-ses-event',
    });
    expect(interpretSesEvent(null, NOW)).toEqual({ kind: 'ignored', type: 'object', why: 'not-an-ses-event' });
  });
});
