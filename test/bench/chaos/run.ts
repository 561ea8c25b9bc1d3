import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emailHash } from '../../../functions/shared/domain/customer-key.ts';
import { DAY } from '../../../functions/shared/domain/schedule.ts';
import { createToken } from '../../../functions/shared/tokens.ts';
import { type LocalCloud, startLocalCloud } from '../../../local-cloud/cloud.ts';
import { invocationMs, invocations, lambdaLimits } from '../../../local-cloud/lambda-runtime.ts';
import type { InboxEmail } from '../../../local-cloud/ses.ts';
import { signedHeaders } from '../../../local-cloud/sign.ts';
import { Agenda } from '../../../ops/simulate/agenda.ts';
import { bounceFirstSentEmail } from '../../../ops/simulate/customers.ts';
import { generatePurchases, orderBody, RATES, type SimulatedPurchase } from '../../../ops/simulate/generate.ts';
import { seededRandom } from '../../../ops/simulate/random.ts';
import { inShard, type Shard } from '../../../ops/simulate/shards.ts';
import { tableItems } from '../../support/local.ts';
import { type FaultCounts, faultInjector } from './faults.ts';

const STORE = 'demo';
const MONTH = 30.44 * DAY;
/** The mix: refunds, unsubscribes and bounces per purchase; duplicates and faults per delivery and call. */
export const CHAOS_RATES = { ...RATES, refund: 0.05, unsubscribe: 0.03, bounce: 0.01, answer: 0 };
const DUPLICATE = 0.2;
const FAULT = 0.1;
/** A store retries a webhook that got no 2xx (Shopify: 8 times over 4 hours); the chaos store retries 8 times. */
const WEBHOOK_ATTEMPTS = 8;

export interface ChaosOptions {
  purchases: number;
  months: number;
  seed: number;
  onProgress?: (line: string) => void;
  /** Plays only this shard's customers; its own chaos draws (duplicates, faults, restarts) from the seed and index. */
  shard?: Shard;
}

/** What the customers and the store did, as acknowledged by Aftercare (virtual ms), for the checker. */
export interface Acknowledged {
  /** order id → customer address, for orders whose order.created got a 2xx. */
  orders: Map<string, string>;
  refundedAt: Map<string, number>;
  unsubscribedAt: Map<string, number>;
  bouncedAt: Map<string, number>;
  /** Webhooks that never got a 2xx after every retry (the store would alert its operator). */
  unacknowledged: number;
}

export interface ChaosRun {
  options: ChaosOptions;
  realSeconds: number;
  endsAt: number;
  acknowledged: Acknowledged;
  inbox: InboxEmail[];
  items: Record<string, unknown>[];
  restartsAt: number[];
  resumed: number;
  webhooks: { posted: number; duplicates: number; concurrentDuplicates: number; lateDuplicates: number };
  faults: FaultCounts;
  executions: number;
  transitions: number;
  failedExecutions: number;
  /** Executions that ended FAILED or TIMED_OUT: name, error and cause (a lost step shows up here first). */
  failures: { name: string; error?: string; cause?: string }[];
  dynamodbRequests: Record<string, number>;
  invocations: Record<string, number>;
  invocationMs: Record<string, number>;
}

const since = (now: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(Object.entries(now).map(([name, value]) => [name, value - (before[name] ?? 0)]));

/**
 * Plays generated purchases on the AWS-strict local cloud under the faults: duplicate and late webhook
 * deliveries, seeded transient faults on every AWS call, refunds, unsubscribes, bounces, and two restarts on the
 * same data folder. Virtual time is fast-forwarded from one customer action to the next (every wait wakes on time).
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosRun> {
  const shardSalt = (options.shard?.index ?? 0) * 104_729;
  const random = seededRandom(options.seed * 7919 + 17 + shardSalt);
  const spanMs = options.months * MONTH;
  const purchases = inShard(
    generatePurchases(options.purchases, options.months, options.seed, CHAOS_RATES),
    options.shard,
  );
  const injector = faultInjector(options.seed + shardSalt, FAULT);
  const dataDir = mkdtempSync(join(tmpdir(), 'aftercare-chaos-'));
  const invokedBefore = { ...invocations };
  const msBefore = { ...invocationMs };
  const startAt = Date.parse('2031-01-06T09:00:00Z');
  const start = (first: boolean) =>
    startLocalCloud({
      apiPort: 0,
      inboxPort: 0,
      dataDir,
      timeScale: 1,
      // The checker reads ids and headers only; 10,000 purchases' HTML would be most of the run's memory.
      ses: { inboxBodies: false },
      ...(first ? { startAt } : {}),
      onClient: injector.onClient,
    });
  const acknowledged: Acknowledged = {
    orders: new Map(),
    refundedAt: new Map(),
    unsubscribedAt: new Map(),
    bouncedAt: new Map(),
    unacknowledged: 0,
  };
  const webhooks = { posted: 0, duplicates: 0, concurrentDuplicates: 0, lateDuplicates: 0 };
  const totals = { executions: 0, transitions: 0, failedExecutions: 0, resumed: 0 };
  const dynamodbRequests: Record<string, number> = {};
  const failures: ChaosRun['failures'] = [];
  const started = Date.now();
  lambdaLimits.throttle = injector.throttle;
  let cloud: LocalCloud = await start(true);
  const endsAt = startAt + spanMs;
  const restartsAt = [random.between(0.15, 0.5), random.between(0.5, 0.85)].map((share) => startAt + share * spanMs);
  const collect = (instance: LocalCloud) => {
    const stats = instance.stepFunctions.stats();
    totals.executions += stats.executions;
    totals.transitions += stats.transitions;
    totals.failedExecutions += (stats.byStatus.FAILED ?? 0) + (stats.byStatus.TIMED_OUT ?? 0);
    failures.push(
      ...instance.stepFunctions.failures().map(({ name, error, cause }) => ({
        name,
        ...(error ? { error } : {}),
        ...(cause ? { cause } : {}),
      })),
    );
    for (const [operation, count] of Object.entries(instance.dynamodb.requestCounts))
      dynamodbRequests[operation] = (dynamodbRequests[operation] ?? 0) + count;
  };
  try {
    const now = () => cloud.clock.now();
    const agenda = new Agenda();
    const later = (delayMs: number, run: () => Promise<void>) => {
      if (now() + delayMs <= endsAt) agenda.add(now() + delayMs, run);
    };
    /** Posts like a store: retried until a 2xx, up to WEBHOOK_ATTEMPTS. True when acknowledged. */
    const post = async (body: unknown): Promise<boolean> => {
      const text = JSON.stringify(body);
      for (let attempt = 0; attempt < WEBHOOK_ATTEMPTS; attempt += 1) {
        webhooks.posted += 1;
        const response = await fetch(`${cloud.apiUrl}/webhooks/generic/${STORE}`, {
          method: 'POST',
          headers: signedHeaders('generic', text, process.env.AFTERCARE_DEMO_SECRET ?? ''),
          body: text,
        });
        await response.arrayBuffer();
        if (response.ok) return true;
      }
      acknowledged.unacknowledged += 1;
      return false;
    };
    /** Delivers a webhook, 20 % of the time twice: half at once (concurrent), half days later (out of order). */
    const deliver = async (body: unknown, onAck: () => void) => {
      const duplicate = random.chance(DUPLICATE);
      if (duplicate) webhooks.duplicates += 1;
      if (duplicate && random.chance(0.5)) {
        webhooks.concurrentDuplicates += 1;
        const answers = await Promise.all([post(body), post(body)]);
        if (answers.some(Boolean)) onAck();
        return;
      }
      if (duplicate) {
        webhooks.lateDuplicates += 1;
        later(random.between(0.5, 20) * DAY, async () => void (await post(body)));
      }
      if (await post(body)) onAck();
    };
    const link = (purpose: 'unsubscribe', p: SimulatedPurchase) =>
      createToken({
        p: purpose,
        s: STORE,
        o: p.orderId,
        c: emailHash(p.customer.email),
        e: Math.floor(now() / 1000) + 30 * 86_400,
      });
    const unsubscribe = (p: SimulatedPurchase) => async () => {
      const body = new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }).toString();
      for (let attempt = 0; attempt < WEBHOOK_ATTEMPTS; attempt += 1) {
        const response = await fetch(`${cloud.apiUrl}/u/${await link('unsubscribe', p)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
        await response.arrayBuffer();
        if (response.ok) {
          if (!acknowledged.unsubscribedAt.has(p.customer.email))
            acknowledged.unsubscribedAt.set(p.customer.email, now());
          return;
        }
      }
      acknowledged.unacknowledged += 1;
    };
    /** The receiving server bounces the first email it got for this purchase (SES's Bounce event). */
    const bounce =
      (p: SimulatedPurchase, attempt = 0) =>
      async () => {
        const address = p.customer.email;
        if (!(await bounceFirstSentEmail(cloud, STORE, p.orderId, address, now()))) {
          if (attempt < 3) later(5 * DAY, bounce(p, attempt + 1));
          return;
        }
        if (!acknowledged.bouncedAt.has(address)) acknowledged.bouncedAt.set(address, now());
      };
    const purchase = (p: SimulatedPurchase) => async () => {
      await deliver(orderBody(p, new Date(now()).toISOString()), () =>
        acknowledged.orders.set(p.orderId, p.customer.email),
      );
      const deliveredAfter = p.deliveredAfterMs ?? 3 * DAY;
      if (p.deliveredAfterMs !== undefined)
        later(p.deliveredAfterMs, () =>
          deliver(
            { type: 'order.delivered', data: { id: p.orderId, delivered_at: new Date(now()).toISOString() } },
            () => undefined,
          ),
        );
      if (p.refundAfterMs !== undefined)
        later(p.refundAfterMs, () =>
          deliver({ type: 'order.refunded', data: { id: p.orderId } }, () => {
            if (!acknowledged.refundedAt.has(p.orderId)) acknowledged.refundedAt.set(p.orderId, now());
          }),
        );
      if (p.unsubscribeAfterMs !== undefined) later(p.unsubscribeAfterMs, unsubscribe(p));
      if (p.bounces) later(deliveredAfter + 2 * DAY, bounce(p));
    };
    for (const p of purchases) agenda.add(startAt + p.atMs, purchase(p));

    let shown = 0;
    while (agenda.size > 0) {
      const next = agenda.peekTime() as number;
      const restartAt = restartsAt.find((at) => at > now() && at <= next);
      if (restartAt !== undefined) {
        await cloud.fastForward(restartAt);
        collect(cloud);
        await cloud.stop();
        cloud = await start(false);
        totals.resumed += cloud.resumed;
        options.onProgress?.(`  restarted at ${new Date(now()).toISOString()}: ${cloud.resumed} runs resumed`);
        continue;
      }
      await cloud.fastForward(next);
      // Everything due now runs at once: concurrent deliveries race as they would on AWS.
      const due: (() => Promise<void>)[] = [];
      while (agenda.size > 0 && (agenda.peekTime() as number) <= now()) due.push(agenda.pop() as () => Promise<void>);
      await Promise.all(due.map((run) => run()));
      const share = (now() - startAt) / spanMs;
      if (share - shown >= 0.1) {
        shown = share;
        options.onProgress?.(
          `  ${Math.round(share * 100)}% of ${options.months} virtual months after ${Math.round((Date.now() - started) / 1000)} s`,
        );
      }
    }
    await cloud.fastForward(endsAt);
    injector.disable();
    lambdaLimits.throttle = () => false;
    collect(cloud);
    const inbox = await cloud.ses.inbox();
    const items = await tableItems();
    return {
      options,
      realSeconds: (Date.now() - started) / 1000,
      endsAt,
      acknowledged,
      inbox,
      items,
      restartsAt,
      resumed: totals.resumed,
      webhooks,
      faults: injector.counts,
      executions: totals.executions,
      transitions: totals.transitions,
      failedExecutions: totals.failedExecutions,
      failures,
      dynamodbRequests,
      invocations: since(invocations, invokedBefore),
      invocationMs: since(invocationMs, msBefore),
    };
  } finally {
    injector.disable();
    lambdaLimits.throttle = () => false;
    await cloud.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
