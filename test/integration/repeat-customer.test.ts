import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../functions/shared/config/file.ts';
import { deadlineOf } from '../../functions/shared/domain/deadlines.ts';
import { dueTime } from '../../functions/shared/domain/plan.ts';
import type { PurchaseRecord } from '../../functions/shared/domain/purchase-record.ts';
import type { Run } from '../../functions/shared/domain/run.ts';
import { SEQUENCES } from '../../functions/shared/domain/vocabulary.ts';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { localStateMachineArn } from '../../local-cloud/stepfunctions.ts';
import { runCli } from '../../ops/cli.ts';
import { bufferIo } from '../../ops/command.ts';
import { REASONS } from '../../ops/format.ts';
import {
  type DecisionItem,
  decisionsOf,
  emailsTo,
  purchase,
  startTestCloud,
  tableItems,
  writeTestConfig,
} from '../support/local.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ORDERS = 20;
const sentAt = (decision: DecisionItem) => decision.history.find((entry) => entry.status === 'sent')?.at ?? '';

// Issue 13: one customer (a small business) orders 20 times within a day. The check-in and the offer fall on the
// same day (both 13 days after delivery), the survey a day later, so the offer waits in the cap's queue when the
// survey comes.
describe('twenty orders by one customer within a day', () => {
  let cloud: LocalCloud;
  let configFile = '';
  const start = Date.parse('2030-03-04T08:00:00Z'); // 09:00 in Amsterdam
  const email = 'buyer@small-business.example';
  const orders: string[] = [];
  beforeAll(async () => {
    configFile = await writeTestConfig((config) => {
      (config.defaults as { followUp: { checkInAfterDays: number } }).followUp.checkInAfterDays = 13;
      const [demo] = config.stores as { productRules: { rules: { offer?: { afterDays: number } } }[] }[];
      for (const rule of demo?.productRules ?? []) if (rule.rules.offer) rule.rules.offer.afterDays = 13;
    });
    cloud = await startTestCloud({ timeScale: 1, startAt: start, configFile });
    for (let n = 0; n < ORDERS; n += 1) {
      await cloud.fastForward(start + n * HOUR);
      orders.push(await purchase(cloud, { orderId: `rc-${n}`, email }));
    }
    await cloud.fastForward(start + 60 * DAY);
  }, 60_000);
  afterAll(async () => {
    await cloud?.stop();
  });

  it('sends one email of each kind for all of them, each a day apart, and starts a bounded number of executions', async () => {
    // Assess
    const inbox = await emailsTo(cloud, email);
    const steps = inbox.map((mail) => mail.headers?.find((h) => h.name === 'X-Aftercare-Step')?.value).sort();
    // One thanks per day (the orders span two days' windows), one check-in, one survey and its reminder, one offer.
    expect(steps.filter((step) => step === 'thanks').length).toBeLessThanOrEqual(2);
    for (const step of ['check-in', 'ask', 'reminder', 'offer-BAGS-10'])
      expect(steps.filter((s) => s === step)).toEqual([step]);
    const sent = (await Promise.all(orders.map((orderId) => decisionsOf(orderId))))
      .flatMap((decisions) => Object.values(decisions))
      .filter((decision) => decision.status === 'sent');
    expect(sent).toHaveLength(inbox.length);
    const times = sent.map((decision) => Date.parse(sentAt(decision))).sort((a, b) => a - b);
    for (let i = 1; i < times.length; i += 1)
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(24 * HOUR - 60_000);
    // Executions: one per order and sequence; one per step the run keeper unparked (a step days away waits in no
    // execution: it is woken once, even when it then finds itself covered); and at most two continuations per email
    // sent (a postponement that waits for a slot, and one more if a higher-priority email takes that slot first).
    let started = 0;
    for (const sequence of SEQUENCES) {
      const { executions } = await cloud.stepFunctions.listExecutions({
        stateMachineArn: localStateMachineArn(sequence),
      });
      started += executions.filter((execution) => execution.name.includes('rc-')).length;
    }
    const items = await tableItems();
    const runItems = items.filter(
      (item) => String(item.PK).startsWith('PURCHASE#demo#rc-') && String(item.SK).startsWith('RUN#'),
    ) as unknown as { history: { event: string }[] }[];
    const unparked = runItems.flatMap((run) => run.history.filter((entry) => entry.event === 'unparked')).length;
    const plannedSteps = items
      .filter((item) => String(item.PK).startsWith('PURCHASE#demo#rc-') && item.SK === 'PURCHASE')
      .flatMap((item) => Object.values((item as unknown as PurchaseRecord).sequences ?? {}))
      .reduce((sum, run) => sum + (run?.steps.length ?? 0), 0);
    expect(started).toBeGreaterThanOrEqual(ORDERS * SEQUENCES.length);
    expect(unparked).toBeLessThanOrEqual(plannedSteps);
    expect(started - ORDERS * SEQUENCES.length - unparked).toBeLessThanOrEqual(2 * inbox.length);
    console.log(
      `executions started ${started} (${unparked} unparked, ${plannedSteps} steps planned) for ${inbox.length} emails sent (${ORDERS} orders × ${SEQUENCES.length} sequences)`,
    );
  });

  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: a test that asserts each deadline per step kind in one pass over the records
  it('sends nothing after its deadline, and the survey before the offer that waited at the same time', async () => {
    const config = loadConfigFile(configFile);
    const store = config.stores[0] as (typeof config.stores)[number];
    const records = (await tableItems()).filter(
      (item) => String(item.PK).startsWith('PURCHASE#demo#rc-') && item.SK === 'PURCHASE',
    ) as unknown as PurchaseRecord[];
    expect(records).toHaveLength(ORDERS);
    let checked = 0;
    for (const record of records) {
      const decisions = await decisionsOf(record.orderId);
      for (const run of Object.values(record.sequences ?? {}) as Run[]) {
        for (const step of run.steps) {
          const decision = decisions[`${run.sequence}#${step.key}`];
          if (decision?.status !== 'sent' || !record.purchase) continue;
          const due = dueTime(step, record.purchase, { config, store, now: Date.parse(run.plannedAt) });
          expect(Date.parse(sentAt(decision)), `${record.orderId} ${step.key}`).toBeLessThanOrEqual(
            deadlineOf(step, due).at,
          );
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(5);
    const first = await decisionsOf('rc-0');
    const offer = first['upgrade-offer#offer-BAGS-10'];
    const ask = first['satisfaction-survey#ask'];
    const offerWaitedAt = offer?.history.find((entry) => entry.reason === 'frequency-cap')?.at ?? '';
    expect(offerWaitedAt).not.toBe('');
    expect(Date.parse(offerWaitedAt)).toBeLessThan(Date.parse(sentAt(ask as DecisionItem)));
    expect(Date.parse(sentAt(ask as DecisionItem))).toBeLessThan(Date.parse(sentAt(offer as DecisionItem)));
  });

  it('explains every decision in aftercare why: covered ones name the order whose email went out', async () => {
    const all = (await Promise.all(orders.map((orderId) => decisionsOf(orderId)))).flatMap((d) => Object.values(d));
    for (const decision of all) {
      if (decision.status === 'sent') continue;
      expect(decision.status, decision.SK).toBe('skipped');
      expect(REASONS[decision.reason ?? ''], `${decision.SK}: ${decision.reason}`).toBeDefined();
      if (decision.reason === 'covered' || decision.reason === 'stale') expect(decision.detail).toBeTruthy();
    }
    expect(all.filter((decision) => decision.reason === 'covered').length).toBeGreaterThanOrEqual(4 * (ORDERS - 2));
    const io = bufferIo();
    const code = await runCli(['why', '--store', 'demo', '--email', email], io);
    expect(code, io.stderr).toBe(0);
    expect(io.stdout).toContain('covered (another order’s email of the same kind went, or is queued, to this customer');
    expect(io.stdout).toContain("order rc-0's went out");
    expect(io.stdout).toContain('before (frequency-cap)');
    expect(io.stdout).toContain("order rc-0's is queued for");
  });
});
