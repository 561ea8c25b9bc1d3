import * as z from 'zod';
import { CATEGORIES, LOCALES, PLATFORMS } from '../domain/vocabulary.ts';
import { TEMPLATE_IDS, type TemplateOverride } from '../email/types.ts';

/**
 * The operator's configuration: stores, sender, sequences and product rules. One file
 * (`infra/aftercare.config.json` by default, `AFTERCARE_CONFIG` to point elsewhere), validated here before the
 * local cloud starts or CDK synthesises anything. Secrets are never part of it.
 */
const days = z.number().min(0).max(3650);
const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as Europe/Amsterdam' },
);

type FieldShape = Record<string, z.ZodType>;
type FullShape<Shape extends FieldShape, Defaults> = {
  [K in keyof Shape]: K extends keyof Defaults ? z.ZodDefault<Shape[K]> : z.ZodOptional<Shape[K]>;
};

/** Builds the full rules schema (every field defaulted) and the override schema (any field, no defaults). */
function rulesSchemas<Shape extends FieldShape, const Defaults extends { [K in keyof Shape]?: z.input<Shape[K]> }>(
  shape: Shape,
  defaults: Defaults,
) {
  const full = Object.fromEntries(
    Object.entries(shape).map(([key, field]) => {
      const fallback = (defaults as Record<string, unknown>)[key];
      return [key, fallback === undefined ? field.optional() : field.default(fallback as never)];
    }),
  ) as FullShape<Shape, Defaults>;
  return { full: z.strictObject(full), partial: z.strictObject(shape).partial() };
}

const followUp = rulesSchemas(
  {
    enabled: z.boolean(),
    from: z.enum(['delivery', 'purchase']),
    thanksAfterDays: days,
    checkInAfterDays: days,
    /** Care reminders (descale, replace the filter…) every N days after delivery; off when unset. */
    maintenanceEveryDays: days.min(7),
    maintenanceCount: z.number().int().min(0).max(12),
  },
  { enabled: true, from: 'delivery', thanksAfterDays: 1, checkInAfterDays: 10, maintenanceCount: 2 },
);

const survey = rulesSchemas(
  {
    enabled: z.boolean(),
    kind: z.enum(['nps', 'csat']),
    afterDays: days,
    reminderAfterDays: days,
    closesAfterDays: days,
  },
  { enabled: true, kind: 'nps', afterDays: 14, reminderAfterDays: 4, closesAfterDays: 30 },
);

const warranty = rulesSchemas(
  { enabled: z.boolean(), months: z.number().int().min(1).max(120), remindDaysBefore: days },
  { enabled: true, months: 24, remindDaysBefore: 30 },
);

const offer = rulesSchemas(
  {
    enabled: z.boolean(),
    afterDays: days,
    /** What is offered: the upgrade model or the accessory/refill. */
    offerSku: z.string().min(1),
    offerTitle: z.string().min(1),
    /** The title in other languages (`offerTitle` where one is missing). */
    offerTitles: z.partialRecord(z.enum(LOCALES), z.string().min(1).max(200)),
    offerUrl: z.url(),
    discountCode: z.string().min(1).max(64),
    /** Each email claims its own single-use code from the pool `aftercare codes import` fills (discountCode unused). */
    codePool: z.boolean(),
    /** What the code gives, stated in the email ("15% off"). */
    discountPercent: z.number().int().min(1).max(90),
    /** When the store's code really expires (shown in the email); no date is ever invented. */
    codeExpiresAt: z.iso.datetime({ offset: true }),
    /** Accepted for older configurations; no longer shown (a deadline the shop did not enforce was false urgency). */
    codeValidDays: days.min(1),
  },
  { enabled: false, afterDays: 90, codeValidDays: 14 },
);

export const sequenceRulesSchema = z.strictObject({
  followUp: followUp.full.prefault({}),
  survey: survey.full.prefault({}),
  warranty: warranty.full.prefault({}),
  offer: offer.full.prefault({}),
});
export type SequenceRules = z.infer<typeof sequenceRulesSchema>;
export type FollowUpRules = SequenceRules['followUp'];
export type SurveyRules = SequenceRules['survey'];
export type WarrantyRules = SequenceRules['warranty'];
export type OfferRules = SequenceRules['offer'];

const partialRules = z.strictObject({
  followUp: followUp.partial.optional(),
  survey: survey.partial.optional(),
  warranty: warranty.partial.optional(),
  offer: offer.partial.optional(),
});
export type PartialRules = z.infer<typeof partialRules>;

export const productRuleSchema = z.strictObject({
  name: z.string().min(1),
  match: z
    .strictObject({
      productType: z.string().min(1).optional(),
      sku: z.string().min(1).optional(),
      tag: z.string().min(1).optional(),
    })
    .refine((match) => Object.keys(match).length > 0, { message: 'needs productType, sku or tag' }),
  rules: partialRules,
});
export type ProductRule = z.infer<typeof productRuleSchema>;

/** A store's replacement for parts of a built-in email (Liquid sources); checked by infra/config-templates.ts. */
const templateOverrideSchema = z.strictObject({
  subject: z.string().min(1).optional(),
  preheader: z.string().min(1).optional(),
  mjml: z.string().min(1).optional(),
  text: z.string().min(1).optional(),
}) satisfies z.ZodType<TemplateOverride>;

const oneLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'must be one line without control characters');

const storeIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be lower-case letters, digits and dashes');

export const storeSchema = z.strictObject({
  id: storeIdSchema,
  name: z.string().min(1).max(100),
  platforms: z.array(z.enum(PLATFORMS)).min(1),
  /** Shopify: the shop's myshopify.com domain; deliveries naming another shop are refused (one app secret signs for all). */
  shopifyDomain: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'must be a domain such as example.myshopify.com')
    .optional(),
  defaultLocale: z.enum(LOCALES).default('en'),
  timeZone: timeZone.default('UTC'),
  fromAddress: z.email(),
  /** The name in front of fromAddress (`Demo Appliances <care@…>`); the store name when unset. */
  senderName: oneLine(100).optional(),
  replyTo: z.email().optional(),
  supportEmail: z.email(),
  reviewUrl: z.url().optional(),
  logoUrl: z.url().optional(),
  /** Pixels the logo is shown wide in emails (the height follows); Outlook needs the number. */
  logoWidth: z.number().int().min(16).max(560).optional(),
  /** The store's help page, linked from every customer email; without it "get help" writes to supportEmail. */
  helpUrl: z.url({ protocol: /^https$/, error: 'must be an https:// address' }).optional(),
  /** One line each, shown in every customer email's footer: where the store is (CAN-SPAM) and who runs it (Impressum). */
  postalAddress: oneLine(300).optional(),
  legalLine: oneLine(300).optional(),
  brandColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1f6feb')
    .default('#1f6feb'),
  rules: partialRules.optional(),
  productRules: z.array(productRuleSchema).default([]),
  /**
   * Goods that are used up (tablets, filters, bags) get no warranty reminder; a product rule may still turn one on.
   * Matched case-insensitively against a line item's product type and tags.
   */
  consumables: z.strictObject({ productTypes: z.array(z.string().min(1)), tags: z.array(z.string().min(1)) }).default({
    productTypes: ['Consumable', 'Consumables', 'Refill', 'Refills', 'Spare part', 'Spare parts'],
    tags: ['consumable', 'refill'],
  }),
  /** Categories sent only to customers who gave marketing consent at checkout (e.g. surveys in Germany). */
  consentRequiredFor: z.array(z.enum(CATEGORIES)).default([]),
  /** Pools of single-use discount codes (offers with `codePool`): what an empty pool does, when the alarm warns. */
  discountCodes: z
    .strictObject({
      /** `skip`: no offer without its code (the why trail says discount-codes-exhausted); else it goes without one. */
      whenPoolEmpty: z.enum(['skip', 'send-without-code']).default('skip'),
      /** The CloudWatch alarm fires when a pool has fewer free codes than this. */
      lowPoolAlarmBelow: z.number().int().min(1).max(1_000_000).default(50),
    })
    .prefault({}),
  /** Review requests go to every customer who answered the survey, whatever the score (no gating), or to no one. */
  reviewRequests: z.enum(['every-answer', 'off']).default('every-answer'),
  templates: z.partialRecord(z.enum(TEMPLATE_IDS), templateOverrideSchema).optional(),
});
export type StoreConfig = z.infer<typeof storeSchema>;

/** Whether any product of `store` may get an offer: commercial email, which needs the footer's postal address. */
function sendsOffers(defaults: SequenceRules, store: z.infer<typeof storeSchema>): boolean {
  const storeWide = store.rules?.offer?.enabled ?? defaults.offer.enabled;
  return storeWide || store.productRules.some((rule) => rule.rules.offer?.enabled === true);
}

/**
 * The offer SKUs of `store` whose emails claim single-use codes from a pool (`codePool`), as the rules merge:
 * defaults, then the store's rules, then each product rule. The CLI imports into these; CDK alarms on each.
 */
export function codePoolOffers(defaults: SequenceRules, store: StoreConfig): string[] {
  const storeWide = { ...defaults.offer, ...store.rules?.offer };
  const merged = [storeWide, ...store.productRules.map((rule) => ({ ...storeWide, ...rule.rules.offer }))];
  const skus = merged
    .filter((offer) => offer.enabled && offer.codePool && offer.offerSku)
    .map((offer) => offer.offerSku);
  return [...new Set(skus as string[])];
}

export const configSchema = z
  .strictObject({
    stores: z.array(storeSchema).min(1),
    defaults: sequenceRulesSchema.prefault({}),
    sending: z
      .strictObject({
        frequencyCapHours: z.number().min(0).max(168).default(24),
        quietHours: z
          .strictObject({ start: z.number().int().min(0).max(23), end: z.number().int().min(1).max(24) })
          .refine((hours) => hours.start < hours.end, { message: 'start must be before end' })
          .default({ start: 9, end: 20 }),
        /** A step whose time passed more than this long ago is skipped (late webhook, import), not sent late. */
        lateGraceHours: z
          .number()
          .min(0)
          .max(24 * 60)
          .default(72),
        /** Until a fulfilment/delivery webhook says otherwise, a product is assumed delivered this long after purchase. */
        assumeDeliveryAfterDays: z.number().min(0).max(60).default(3),
        /**
         * Customer mail due in quiet hours goes out this many minutes after the window opens at most, at a stable
         * offset per customer (a hash of their address), instead of all at the window's first second.
         */
        spreadMinutes: z
          .number()
          .int()
          .min(0)
          .max(12 * 60)
          .default(180),
        /**
         * Account-wide bound on wakes (step Lambda invocations, sends) per second; each wake time claims a second in
         * the table's wake-slot counter. 10 stays under SES's default 14 emails/s and leaves Lambda concurrency room.
         */
        maxWakesPerSecond: z.number().int().min(1).max(1000).default(10),
        /** Several orders of one customer close together: one email of each kind per period, the rest skipped as covered. */
        oncePerCustomer: z
          .strictObject({
            thanksDays: z.number().min(0).max(365).default(1),
            checkInDays: z.number().min(0).max(365).default(7),
            surveyDays: z.number().min(0).max(365).default(30),
            offerDays: z.number().min(0).max(730).default(365),
          })
          .prefault({}),
      })
      .prefault({}),
  })
  .refine((config) => new Set(config.stores.map((store) => store.id)).size === config.stores.length, {
    message: 'store ids must be unique',
    path: ['stores'],
  })
  .superRefine((config, context) => {
    for (const [index, store] of config.stores.entries()) {
      // A pool's SKU is a CloudWatch dimension value of its alarm: ASCII, at most 255 characters (AWS::CloudWatch::Alarm Dimension).
      for (const sku of codePoolOffers(config.defaults, store).filter(
        (sku) => !/^[\x21-\x7e][\x20-\x7e]{0,254}$/.test(sku),
      )) {
        context.addIssue({
          code: 'custom',
          path: ['stores', index, 'productRules'],
          message: `offerSku "${sku.slice(0, 40)}" uses a code pool, so must be printable ASCII of at most 255 characters (its alarm's dimension)`,
        });
      }
      if (store.postalAddress || !sendsOffers(config.defaults, store)) continue;
      context.addIssue({
        code: 'custom',
        path: ['stores', index, 'postalAddress'],
        message: 'is required when the store sends offers (commercial email must carry a postal address)',
      });
    }
  });
export type AftercareConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses a configuration object; the error names each wrong field and why. */
export function parseConfig(raw: unknown, source = 'configuration'): AftercareConfig {
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new ConfigError(`Invalid ${source}:\n${lines.join('\n')}`);
}

export function findStore(config: AftercareConfig, storeId: string): StoreConfig | undefined {
  return config.stores.find((store) => store.id === storeId);
}
