import { loadConfigFile } from '../../functions/shared/config/file.ts';
import type { AftercareConfig } from '../../functions/shared/config/schema.ts';
import { type PlanContext, planSequence } from '../../functions/shared/domain/plan.ts';
import type { Purchase } from '../../functions/shared/domain/purchase.ts';
import { SEQUENCES } from '../../functions/shared/domain/vocabulary.ts';
import { machine } from './stats.ts';

/**
 * Issue 13 benchmark: the real planner over a store's N orders of one day in one time zone (distinct customers,
 * evenly spread): how many of the day's planned wakes share the busiest second, without spread (09:00:00 for every
 * step due at night, as before) and with the configured spread — before the wake-slot counter, which then caps
 * every second at `maxWakesPerSecond` (proved on the local cloud by test/integration/wake-spread.test.ts).
 * Usage: npm run bench:wake-spread [-- --orders 1000]
 */
const args = process.argv.slice(2);
const index = args.indexOf('--orders');
const ORDERS = index >= 0 ? Number(args[index + 1]) : 1000;
const DAY = 86_400_000;
const day = Date.parse('2030-05-06T22:00:00Z'); // midnight in Amsterdam

const base = loadConfigFile();
const store = base.stores[0] as AftercareConfig['stores'][number];

function busiest(config: AftercareConfig): {
  wakes: number;
  seconds: number;
  top: number;
  topDay: number;
  over: number;
} {
  const perSecond = new Map<number, number>();
  for (let n = 0; n < ORDERS; n += 1) {
    const purchasedAt = new Date(day + Math.floor((n * DAY) / ORDERS)).toISOString();
    const purchase: Purchase = {
      storeId: store.id,
      platform: 'generic',
      orderId: `bench-${n}`,
      customer: { email: `shopper-${n}@example.com`, timeZone: 'Europe/Amsterdam', marketingConsent: true },
      lineItems: [
        {
          lineId: 'l1',
          title: 'Vacuum',
          quantity: 1,
          price: '1.00',
          currency: 'EUR',
          productType: 'Vacuum cleaner',
          tags: [],
        },
      ],
      currency: 'EUR',
      purchasedAt,
      status: 'open',
      refundedLineIds: [],
    };
    const context: PlanContext = { config, store, now: Date.parse(purchasedAt) };
    for (const sequence of SEQUENCES) {
      for (const wake of planSequence(sequence, purchase, context)?.wakes ?? []) {
        if (wake.hop) continue;
        const second = Math.floor(Date.parse(wake.at) / 1000);
        perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
      }
    }
  }
  const counts = [...perSecond.values()];
  const max = base.sending.maxWakesPerSecond;
  const [topSecond] = [...perSecond.entries()].sort((a, b) => b[1] - a[1])[0] ?? [0];
  const sameDay = (second: number) => Math.floor(second / 86_400) === Math.floor(topSecond / 86_400);
  return {
    topDay: [...perSecond.entries()].filter(([second]) => sameDay(second)).reduce((sum, [, count]) => sum + count, 0),
    wakes: counts.reduce((sum, count) => sum + count, 0),
    seconds: counts.length,
    top: Math.max(...counts),
    over: counts.filter((count) => count > max).reduce((sum, count) => sum + count - max, 0),
  };
}

console.log(`machine: ${machine()}`);
console.log(`${ORDERS} orders of one day in Europe/Amsterdam, real planner, wakes of every sequence (hops excluded)`);
for (const spreadMinutes of [0, base.sending.spreadMinutes]) {
  const result = busiest({ ...base, sending: { ...base.sending, spreadMinutes } });
  const share = ((result.top / result.topDay) * 100).toFixed(1);
  console.log(
    `spreadMinutes ${String(spreadMinutes).padStart(3)}: ${result.wakes} wakes in ${result.seconds} distinct seconds; busiest second ${result.top} (${share} % of that day's ${result.topDay}); wakes the counter must move (> ${base.sending.maxWakesPerSecond}/s): ${result.over}`,
  );
}
