import { emailHash } from '../../functions/shared/domain/customer-key.ts';
import { DAY } from '../../functions/shared/domain/schedule.ts';
import { getDecision, listDecisions } from '../../functions/shared/store/decisions.ts';
import { createToken } from '../../functions/shared/tokens.ts';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { signedHeaders } from '../../local-cloud/sign.ts';
import type { Agenda } from './agenda.ts';
import { OFFERED_BAGS, orderBody, type SimulatedPurchase } from './generate.ts';

const STORE = 'demo';
const RETRIES = 3;

/** What the simulated customers did, and the simulator's own table reads (left out of the per-purchase figures). */
export interface Tally {
  webhooks: number;
  rejected: number;
  /** Customer page requests (survey page views and posts, one-click unsubscribes). */
  pageRequests: number;
  refunds: number;
  answers: number;
  unsubscribes: number;
  bounces: number;
  offerPurchases: number;
  probes: Record<string, number>;
}

export function newTally(): Tally {
  return {
    webhooks: 0,
    rejected: 0,
    pageRequests: 0,
    refunds: 0,
    answers: 0,
    unsubscribes: 0,
    bounces: 0,
    offerPurchases: 0,
    probes: {},
  };
}

/**
 * The customers' side of the simulation: orders, deliveries and refunds as signed webhooks, survey answers and
 * unsubscribes through the customer pages (links signed like the emails' own), bounces as SES events.
 */
export function customerActions(cloud: LocalCloud, agenda: Agenda, tally: Tally, endsAt: number) {
  const secret = process.env.AFTERCARE_DEMO_SECRET ?? '';
  const now = () => cloud.clock.now();
  const later = (delayMs: number, run: () => Promise<void>) => {
    if (now() + delayMs <= endsAt) agenda.add(now() + delayMs, run);
  };
  const probe = (operation: string) => {
    tally.probes[operation] = (tally.probes[operation] ?? 0) + 1;
  };
  const post = async (body: unknown) => {
    const text = JSON.stringify(body);
    const response = await fetch(`${cloud.apiUrl}/webhooks/generic/${STORE}`, {
      method: 'POST',
      headers: signedHeaders('generic', text, secret),
      body: text,
    });
    tally.webhooks += 1;
    if (!response.ok) tally.rejected += 1;
  };
  /** Runs `act` once the step was sent; looks again a few days later, a few times. */
  const whenSent = (orderId: string, sequence: string, step: string, act: () => Promise<void>, attempt = 0) => {
    return async () => {
      probe('GetItem');
      const decision = await getDecision(STORE, orderId, sequence, step);
      if (decision?.status === 'sent') await act();
      else if (attempt < RETRIES && decision?.status !== 'skipped')
        later(4 * DAY, whenSent(orderId, sequence, step, act, attempt + 1));
    };
  };

  const link = (purpose: 'survey' | 'unsubscribe', p: SimulatedPurchase) =>
    createToken({
      p: purpose,
      s: STORE,
      o: p.orderId,
      c: emailHash(p.customer.email),
      e: Math.floor(now() / 1000) + 30 * 86_400,
    });
  const page = (url: string, init?: RequestInit) => {
    tally.pageRequests += 1;
    return fetch(url, init);
  };
  const form = (url: string, fields: Record<string, string>) =>
    page(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });

  /** The customer clicks a score in the email (GET shows the page), then submits it (POST records it). */
  const answer = (p: SimulatedPurchase, score: number) => async () => {
    const url = `${cloud.apiUrl}/s/${await link('survey', p)}`;
    const shown = await page(`${url}?score=${score}`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await shown.text())?.[1];
    if (!shown.ok || !csrf) throw new Error(`survey page answered ${shown.status}`);
    let saved = await form(url, { score: String(score), csrf });
    // A CSAT store asks 1–5: the same customer mood on that scale.
    if (saved.status === 400) saved = await form(url, { score: String(Math.max(1, Math.ceil(score / 2))), csrf });
    if (!saved.ok) throw new Error(`survey answer answered ${saved.status}`);
    tally.answers += 1;
  };

  /** The mail client's one-click unsubscribe (RFC 8058) from the List-Unsubscribe header. */
  const unsubscribe = (p: SimulatedPurchase) => async () => {
    const response = await form(`${cloud.apiUrl}/u/${await link('unsubscribe', p)}`, {
      'List-Unsubscribe': 'One-Click',
    });
    if (!response.ok) throw new Error(`one-click unsubscribe answered ${response.status}`);
    tally.unsubscribes += 1;
  };

  const bounce =
    (p: SimulatedPurchase, attempt = 0) =>
    async () => {
      probe('Query');
      if (await bounceFirstSentEmail(cloud, STORE, p.orderId, p.customer.email, now())) tally.bounces += 1;
      else if (attempt < RETRIES) later(5 * DAY, bounce(p, attempt + 1));
    };

  return async function purchase(p: SimulatedPurchase): Promise<void> {
    await post(orderBody(p, new Date(now()).toISOString()));
    const deliveredAfter = p.deliveredAfterMs ?? 3 * DAY;
    if (p.deliveredAfterMs !== undefined)
      later(p.deliveredAfterMs, () =>
        post({ type: 'order.delivered', data: { id: p.orderId, delivered_at: new Date(now()).toISOString() } }),
      );
    if (p.refundAfterMs !== undefined)
      later(p.refundAfterMs, async () => {
        await post({ type: 'order.refunded', data: { id: p.orderId } });
        tally.refunds += 1;
      });
    if (p.unsubscribeAfterMs !== undefined) later(p.unsubscribeAfterMs, unsubscribe(p));
    if (p.bounces) later(deliveredAfter + 2 * DAY, bounce(p));
    if (p.answer)
      later(
        deliveredAfter + 14 * DAY + p.answer.afterAskMs,
        whenSent(p.orderId, 'satisfaction-survey', 'ask', answer(p, p.answer.score)),
      );
    if (p.buysOffer && p.items.some((item) => item.productType === 'Vacuum cleaner'))
      later(
        deliveredAfter + 91 * DAY,
        whenSent(p.orderId, 'upgrade-offer', `offer-${OFFERED_BAGS.sku}`, async () => {
          const bags = { orderId: `${p.orderId}-bags`, customer: p.customer, items: [OFFERED_BAGS] };
          await post(orderBody(bags, new Date(now()).toISOString()));
          tally.offerPurchases += 1;
        }),
      );
  };
}

/**
 * The receiving server bounces the first email the purchase got (SES's permanent Bounce event, as the configuration
 * set reports it). False when nothing has been sent for it yet.
 */
export async function bounceFirstSentEmail(
  cloud: LocalCloud,
  storeId: string,
  orderId: string,
  address: string,
  at: number,
): Promise<boolean> {
  const sent = (await listDecisions(storeId, orderId)).find((d) => d.status === 'sent' && d.messageId);
  if (!sent?.messageId) return false;
  await cloud.ses.emit({
    eventType: 'Bounce',
    mail: { messageId: sent.messageId, timestamp: new Date(at).toISOString(), destination: [address] },
    bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: address }] },
  });
  return true;
}
