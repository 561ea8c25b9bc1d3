import type { AftercareConfig, PartialRules, SequenceRules, StoreConfig } from '../config/schema.ts';
import type { LineItem } from './purchase.ts';

/** Rules for one line item: defaults, then the store's rules, then every product rule that matches, in order. */
export function rulesForItem(config: AftercareConfig, store: StoreConfig, item: LineItem): SequenceRules {
  let rules = mergeRules(config.defaults, store.rules);
  if (isConsumable(store, item)) rules = { ...rules, warranty: { ...rules.warranty, enabled: false } };
  for (const productRule of store.productRules) {
    const { productType, sku, tag } = productRule.match;
    const matches =
      (productType === undefined || productType.toLowerCase() === (item.productType ?? '').toLowerCase()) &&
      (sku === undefined || sku === item.sku) &&
      (tag === undefined || item.tags.some((t) => t.toLowerCase() === tag.toLowerCase()));
    if (matches) rules = mergeRules(rules, productRule.rules);
  }
  return rules;
}

/** Used up rather than owned (the store's `consumables`): a warranty reminder would make no sense. */
export function isConsumable(store: StoreConfig, item: LineItem): boolean {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const { productTypes, tags } = store.consumables;
  return (
    productTypes.some((type) => same(type, item.productType ?? '')) ||
    item.tags.some((tag) => tags.some((consumable) => same(consumable, tag)))
  );
}

/** Rules for the purchase as a whole (follow-up and survey): the store's, then the first item's product rules. */
export function rulesForPurchase(
  config: AftercareConfig,
  store: StoreConfig,
  items: readonly LineItem[],
): SequenceRules {
  const first = items[0];
  return first ? rulesForItem(config, store, first) : mergeRules(config.defaults, store.rules);
}

function mergeRules(base: SequenceRules, override: PartialRules | undefined): SequenceRules {
  if (!override) return base;
  return {
    followUp: { ...base.followUp, ...override.followUp },
    survey: { ...base.survey, ...override.survey },
    warranty: { ...base.warranty, ...override.warranty },
    offer: { ...base.offer, ...override.offer },
  };
}
