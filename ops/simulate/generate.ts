import { DAY } from '../../functions/shared/domain/schedule.ts';
import type { Locale } from '../../functions/shared/domain/vocabulary.ts';
import { type Random, seededRandom } from './random.ts';

/** The demo store's catalogue (infra/aftercare.config.json has rules for vacuum cleaners and 'coffee' machines). */
export interface Product {
  sku: string;
  title: string;
  price: string;
  productType: string;
  tags: string[];
}

const product = (sku: string, title: string, price: string, productType: string, tags: string[] = []): Product => ({
  sku,
  title,
  price,
  productType,
  tags,
});

export const OFFERED_BAGS = product('BAGS-10', 'Dust bags (10 pack)', '14.95', 'Accessory', ['vacuum']);
const CATALOGUE: readonly (readonly [Product, number])[] = [
  [product('VAC-3000', 'Cyclone 3000 vacuum cleaner', '249.00', 'Vacuum cleaner', ['vacuum']), 18],
  [product('VAC-C5', 'Cyclone Cordless 5', '329.00', 'Vacuum cleaner', ['vacuum']), 12],
  [product('ESP-PRO', 'Espresso Pro', '449.00', 'Espresso machine', ['coffee', 'machine']), 14],
  [product('BAR-MINI', 'Barista Mini', '199.00', 'Coffee machine', ['coffee']), 16],
  [product('KET-CL', 'Kettle Classic', '39.00', 'Kettle'), 16],
  [product('IRON-2400', 'Steam iron 2400', '59.00', 'Iron'), 12],
  [product('TOAST-2', 'Toaster Duo', '49.00', 'Toaster'), 12],
];

const LOCALES: readonly (readonly [{ locale: Locale; zones: string[]; names: string[] }, number])[] = [
  [{ locale: 'en', zones: ['Europe/London', 'America/New_York', 'Europe/Dublin'], names: ['Emma', 'James'] }, 30],
  [{ locale: 'nl', zones: ['Europe/Amsterdam', 'Europe/Brussels'], names: ['Sanne', 'Daan'] }, 25],
  [{ locale: 'de', zones: ['Europe/Berlin', 'Europe/Vienna', 'Europe/Zurich'], names: ['Lena', 'Jonas'] }, 20],
  [{ locale: 'fr', zones: ['Europe/Paris', 'Europe/Brussels', 'America/Toronto'], names: ['Chloé', 'Louis'] }, 15],
  [{ locale: 'es', zones: ['Europe/Madrid', 'America/Mexico_City'], names: ['Lucía', 'Mateo'] }, 10],
];

/** NPS answers lean positive, with a tail of unhappy customers (weights for scores 0…10). */
const SCORE_WEIGHTS = [2, 1, 1, 2, 2, 4, 6, 10, 18, 22, 32].map((weight, score) => [score, weight] as const);

export const RATES = { refund: 0.05, answer: 0.35, unsubscribe: 0.02, bounce: 0.01, delivered: 0.8, repeat: 0.05 };
/** Share of customers offered dust bags who buy them while the code is valid. */
export const OFFER_UPTAKE = 0.15;

/** One simulated purchase and what its customer will do later (offsets in virtual ms from the purchase). */
export interface SimulatedPurchase {
  orderId: string;
  atMs: number;
  customer: { email: string; firstName: string; locale: Locale; timeZone: string };
  items: Product[];
  deliveredAfterMs?: number;
  refundAfterMs?: number;
  unsubscribeAfterMs?: number;
  bounces: boolean;
  /** Answers the survey once asked (score 0–10), a few days after the ask. */
  answer?: { score: number; afterAskMs: number };
  buysOffer: boolean;
}

function customer(random: Random, index: number, seed: number) {
  const { locale, zones, names } = random.weighted(LOCALES);
  return {
    email: `sim-${seed}-${index}@example.com`,
    firstName: random.pick(names),
    locale,
    timeZone: random.pick(zones),
  };
}

/** N purchases spread evenly at random over `months` (sorted by time), each with its customer's later actions. */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one seeded random stream: its draws stay in this order so that a seed always gives the same shop
export function generatePurchases(
  count: number,
  months: number,
  seed: number,
  rates: typeof RATES = RATES,
): SimulatedPurchase[] {
  const random = seededRandom(seed);
  const spanMs = months * 30.44 * DAY;
  const purchases: SimulatedPurchase[] = [];
  for (let index = 0; index < count; index += 1) {
    const earlier = purchases.length ? random.pick(purchases) : undefined;
    const buyer = earlier && random.chance(rates.repeat) ? earlier.customer : customer(random, index, seed);
    const items = [random.weighted(CATALOGUE)];
    if (random.chance(0.15)) items.push(random.weighted(CATALOGUE.filter(([p]) => p.sku !== items[0]?.sku)));
    const delivered = random.chance(rates.delivered);
    purchases.push({
      orderId: `sim-${seed}-${index}`,
      atMs: random.between(0, spanMs),
      customer: buyer,
      items,
      ...(delivered ? { deliveredAfterMs: random.between(1.5, 5) * DAY } : {}),
      ...(random.chance(rates.refund) ? { refundAfterMs: random.between(1, 30) * DAY } : {}),
      ...(random.chance(rates.unsubscribe) ? { unsubscribeAfterMs: random.between(5, 60) * DAY } : {}),
      bounces: random.chance(rates.bounce),
      ...(random.chance(rates.answer)
        ? { answer: { score: random.weighted(SCORE_WEIGHTS), afterAskMs: random.between(0.1, 5) * DAY } }
        : {}),
      buysOffer: random.chance(OFFER_UPTAKE),
    });
  }
  return purchases.sort((a, b) => a.atMs - b.atMs);
}

/** The purchase as a generic-format webhook body (functions/shared/sources/GENERIC.md). */
export function orderBody(purchase: Pick<SimulatedPurchase, 'orderId' | 'customer' | 'items'>, createdAt: string) {
  const { customer: buyer } = purchase;
  const total = purchase.items.reduce((sum, item) => sum + Number(item.price), 0).toFixed(2);
  return {
    type: 'order.created',
    data: {
      id: purchase.orderId,
      number: `#${purchase.orderId.split('-').at(-1)}`,
      customer: {
        id: `c-${buyer.email}`,
        email: buyer.email,
        first_name: buyer.firstName,
        locale: buyer.locale,
        time_zone: buyer.timeZone,
        accepts_marketing: true,
      },
      line_items: purchase.items.map((item, index) => ({
        id: `${purchase.orderId}-${index + 1}`,
        sku: item.sku,
        title: item.title,
        quantity: 1,
        price: item.price,
        currency: 'EUR',
        product_type: item.productType,
        tags: item.tags,
      })),
      currency: 'EUR',
      total,
      created_at: createdAt,
    },
  };
}
