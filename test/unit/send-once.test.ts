import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  IdentityNotVerifiedError,
  PermanentSendError,
  SendOutcomeUnknownError,
} from '../../functions/shared/mailer.ts';
import type { StepDecision } from '../../functions/shared/store/decisions.ts';
import {
  DiscountCodesExhaustedError,
  type SendFacts,
  type SendStore,
  sendOnce,
} from '../../functions/step/send-once.ts';

const FACTS: SendFacts = {
  storeId: 'demo',
  orderId: 'generic:1',
  sequence: 'follow-up',
  step: 'thanks',
  template: 'follow-up/thanks',
};
const AT = '2026-03-01T10:00:00.000Z';

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
const conditionFailed = () =>
  Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });

/** The store port in memory, with DynamoDB's conditional-put semantics on the one trail item. */
function memoryStore() {
  const state = {
    item: undefined as StepDecision | undefined,
    messages: [] as string[],
    releases: 0,
    /** Writes of these statuses fail (a throttled table), counted. */
    failing: new Set<string>(),
    failedWrites: 0,
  };
  const store: SendStore = {
    read: async () => (state.item ? structuredClone(state.item) : undefined),
    write: async (previous, next, condition) => {
      if (state.failing.has(next.status)) {
        state.failedWrites += 1;
        throw throttled();
      }
      const item = state.item;
      if (condition?.expectStatus === 'absent' && item) return undefined;
      if (condition?.expectStatus && condition.expectStatus !== 'absent' && item?.status !== condition.expectStatus)
        return undefined;
      if (condition?.expectAttempt && item?.attemptId !== condition.expectAttempt) return undefined;
      const entry = { status: next.status, at: next.at, ...(next.reason ? { reason: next.reason } : {}) };
      state.item = { ...next, history: [...(previous?.history ?? []), entry] };
      return structuredClone(state.item);
    },
    recordMessage: async (messageId) => {
      state.messages.push(messageId);
    },
    release: async () => {
      state.releases += 1;
    },
  };
  return { state, store };
}

/** A mailer that answers with each of `answers` in turn (a message id, or an error to throw). */
function scriptedMailer(...answers: (string | Error)[]) {
  const sent: string[] = [];
  return {
    sent,
    send: async (email: string) => {
      const answer = answers.shift() ?? 'message-late';
      if (answer instanceof Error) throw answer;
      sent.push(email);
      return answer;
    },
  };
}

function attempt(
  store: SendStore,
  mailer: ReturnType<typeof scriptedMailer>,
  previous: StepDecision | undefined,
  compose: () => Promise<string> = async () => 'the email',
) {
  return sendOnce({
    facts: FACTS,
    previous,
    at: AT,
    store,
    mailer,
    compose,
    retryVerification: (claim) =>
      (claim?.history ?? []).filter((entry) => entry.reason === 'identity-not-verified').length < 2
        ? Date.parse(AT) + 3_600_000
        : undefined,
    now: () => Date.parse(AT) + 1_000,
  });
}

beforeEach(() => {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

describe('the send-once protocol of one step', () => {
  it('sends the email once and records it; a repeated or concurrent wake sends nothing more', async () => {
    // Prepare
    const { state, store } = memoryStore();
    const mailer = scriptedMailer('message-1', 'message-2', 'message-3');

    // Act
    const [first, concurrent] = await Promise.all([
      attempt(store, mailer, undefined),
      attempt(store, mailer, undefined),
    ]);
    const repeated = await attempt(store, mailer, undefined);

    // Assess
    expect(mailer.sent).toHaveLength(1);
    expect([first, concurrent].map((decision) => decision.action).sort()).toEqual(['send', 'skip']);
    expect(repeated).toEqual({ action: 'skip', reason: 'already-handled' });
    expect(state.item).toMatchObject({ status: 'sent', messageId: 'message-1', at: '2026-03-01T10:00:01.000Z' });
    expect(state.item?.history.map((entry) => entry.status)).toEqual(['sending', 'sent']);
    expect(state.messages).toEqual(['message-1']);
    expect(state.releases).toBe(0);
  });

  it('never sends a claim a crashed attempt left, and closes it as send-outcome-unknown', async () => {
    // Prepare: an attempt claimed the step and died before its outcome was recorded
    const { state, store } = memoryStore();
    await store.write(
      undefined,
      { ...FACTS, status: 'sending', at: AT, attemptId: 'crashed' },
      { expectStatus: 'absent' },
    );
    const mailer = scriptedMailer('message-1');

    // Act
    const decision = await attempt(store, mailer, undefined);

    // Assess
    expect(decision).toEqual({ action: 'skip', reason: 'already-handled' });
    expect(mailer.sent).toEqual([]);
    expect(state.item).toMatchObject({ status: 'skipped', reason: 'send-outcome-unknown' });
  });

  it('keeps the claim and the cap slot when SES never answered, and never sends it again', async () => {
    // Prepare
    const { state, store } = memoryStore();
    const mailer = scriptedMailer(new SendOutcomeUnknownError('socket hang up'), 'message-2');

    // Act
    const decision = await attempt(store, mailer, undefined);
    const retry = await attempt(store, mailer, state.item);

    // Assess
    expect(decision).toEqual({ action: 'skip', reason: 'send-outcome-unknown' });
    expect(retry).toEqual({ action: 'skip', reason: 'already-handled' });
    expect(mailer.sent).toEqual([]);
    expect(state.releases).toBe(0);
    expect(state.item).toMatchObject({ status: 'skipped', reason: 'send-outcome-unknown' });
  });

  it('gives the claim and the slot back when SES refused for a moment, and the retry sends it once', async () => {
    // Prepare
    const { state, store } = memoryStore();
    const mailer = scriptedMailer(throttled(), 'message-2');

    // Act
    await expect(attempt(store, mailer, undefined)).rejects.toThrow('Rate exceeded');
    const postponed = state.item;
    const retry = await attempt(store, mailer, postponed);

    // Assess
    expect(postponed).toMatchObject({ status: 'postponed', reason: 'send-retry', until: AT });
    expect(retry).toEqual({ action: 'send' });
    expect(mailer.sent).toHaveLength(1);
    expect(state.releases).toBe(1);
    expect(state.item?.history.map((entry) => entry.status)).toEqual(['sending', 'postponed', 'sending', 'sent']);
  });

  it('gives the claim back when SES refused for a moment even while the table throttles that write', async () => {
    // Prepare: before, one failed write here left the step `sending` for good and its email was never sent.
    vi.useFakeTimers();
    const { state, store } = memoryStore();
    let throttledWrites = 3;
    const flaky: SendStore = {
      ...store,
      write: async (previous, next, condition) => {
        if (next.status === 'postponed' && throttledWrites-- > 0) throw throttled();
        return store.write(previous, next, condition);
      },
    };
    const mailer = scriptedMailer(throttled(), 'message-2');

    // Act
    const first = attempt(flaky, mailer, undefined);
    const settled = expect(first).rejects.toThrow('Rate exceeded');
    await vi.runAllTimersAsync();
    await settled;
    const retry = await attempt(flaky, mailer, state.item);

    // Assess
    expect(throttledWrites).toBe(-1);
    expect(retry).toEqual({ action: 'send' });
    expect(mailer.sent).toHaveLength(1);
    expect(state.item?.history.map((entry) => entry.status)).toEqual(['sending', 'postponed', 'sending', 'sent']);
  });

  it('records a permanent refusal as failed, and an empty code pool as skipped, giving the slot back', async () => {
    // Prepare
    const rejectedStore = memoryStore();
    const exhaustedStore = memoryStore();
    const mailer = scriptedMailer(new PermanentSendError('MessageRejected: bad address'));

    // Act
    const rejected = await attempt(rejectedStore.store, mailer, undefined);
    const exhausted = await attempt(exhaustedStore.store, mailer, undefined, async () => {
      throw new DiscountCodesExhaustedError('the code pool of SKU-1 is empty');
    });

    // Assess
    expect(rejected).toEqual({ action: 'skip', reason: 'send-rejected' });
    expect(rejectedStore.state.item).toMatchObject({ status: 'failed', reason: 'send-rejected' });
    expect(exhausted).toEqual({ action: 'skip', reason: 'discount-codes-exhausted' });
    expect(exhaustedStore.state.item).toMatchObject({ status: 'skipped', reason: 'discount-codes-exhausted' });
    expect([rejectedStore.state.releases, exhaustedStore.state.releases]).toEqual([1, 1]);
    expect(mailer.sent).toEqual([]);
  });

  it('waits for an unverified identity while tries remain, then records the send as failed', async () => {
    // Prepare
    const { state, store } = memoryStore();
    const unverified = () => new IdentityNotVerifiedError('MessageRejected: Email address is not verified');
    const mailer = scriptedMailer(unverified(), unverified(), unverified());

    // Act
    const decisions = [];
    for (let wake = 0; wake < 3; wake += 1) decisions.push(await attempt(store, mailer, state.item));

    // Assess
    expect(decisions).toEqual([
      { action: 'postpone', until: Date.parse(AT) + 3_600_000, reason: 'identity-not-verified' },
      { action: 'postpone', until: Date.parse(AT) + 3_600_000, reason: 'identity-not-verified' },
      { action: 'skip', reason: 'send-rejected' },
    ]);
    expect(state.item).toMatchObject({ status: 'failed', reason: 'send-rejected' });
  });

  it('leaves the claim standing when SES accepted but every record attempt failed, so no retry sends twice', async () => {
    // Prepare
    vi.useFakeTimers();
    const { state, store } = memoryStore();
    state.failing.add('sent');
    const mailer = scriptedMailer('message-1', 'message-2');

    // Act
    const first = attempt(store, mailer, undefined);
    const settled = expect(first).rejects.toThrow('Rate exceeded');
    await vi.runAllTimersAsync();
    await settled;
    const retry = await attempt(store, mailer, state.item);

    // Assess
    expect(state.failedWrites).toBe(6);
    expect(mailer.sent).toHaveLength(1);
    expect(retry).toEqual({ action: 'skip', reason: 'already-handled' });
    expect(state.item).toMatchObject({ status: 'skipped', reason: 'send-outcome-unknown' });
  });

  it('never retries a record whose condition failed', async () => {
    // Prepare: another attempt overwrote the claim between the send and its record
    const { state, store } = memoryStore();
    const write = store.write;
    store.write = async (previous, next, condition) => {
      if (next.status === 'sent') throw conditionFailed();
      return write(previous, next, condition);
    };
    const mailer = scriptedMailer('message-1');

    // Act + Assess
    await expect(attempt(store, mailer, undefined)).rejects.toThrow('conditional');
    expect(state.messages).toEqual([]);
    expect(mailer.sent).toHaveLength(1);
  });
});
