import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { now } from '../../functions/shared/clock.ts';
import { getConfig } from '../../functions/shared/config/load.ts';
import { codePoolOffers, type StoreConfig } from '../../functions/shared/config/schema.ts';
import { addDiscountCode, remainingDiscountCodes } from '../../functions/shared/store/discount-codes.ts';
import {
  type Command,
  type Io,
  parseOptions,
  storeId,
  TARGET_HELP,
  targetOptions,
  targetSchema,
  UsageError,
} from '../command.ts';
import { mapLimit } from '../data.ts';
import { table } from '../format.ts';
import { readCodesFile } from '../import/codes-file.ts';
import { requireStore, useTarget } from '../target.ts';

const HELP = `Usage: aftercare codes import --store <id> --offer <offer SKU> <file>
       aftercare codes list --store <id> [--offer <offer SKU>]

Pools of single-use discount codes for offers with "codePool": true. Generate the codes in the shop's admin
(Shopify: Discounts → generate codes → export; WooCommerce or Stripe: export the coupons or promotion codes) and
import the file: a CSV with a Code / Discount code / Coupon code / Promotion code column, or one code per line.
Each offer email claims one code; a retry of the same send gets the same code, two emails never share one.

  import   adds the file's codes to the pool. Codes already in the pool (or repeated in the file) are ignored, so
           importing the same file again changes nothing. Bad lines are listed by line number and not imported;
           the good ones are. Exit code 1 when some lines were rejected or could not be stored.
  list     the free codes left in each pool of the store, and the alarm threshold (discountCodes.lowPoolAlarmBelow).

${TARGET_HELP}`;

const importSchema = z.strictObject({ store: storeId, offer: z.string().min(1).max(200), ...targetSchema });
const listSchema = z.strictObject({ store: storeId, offer: z.string().min(1).max(200).optional(), ...targetSchema });
const options = { store: { type: 'string' }, offer: { type: 'string' }, ...targetOptions } as const;

/** The arguments that are not options or their values (the file). */
function positionals(argv: string[]): string[] {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: true }).positionals;
  } catch (error) {
    throw new UsageError((error as Error).message.split('. To specify')[0] ?? 'invalid arguments');
  }
}

/** The pool offers of the store, or a usage error naming them when --offer is not one of them. */
function poolOffer(store: StoreConfig, offer: string): string {
  const pools = codePoolOffers(getConfig().defaults, store);
  if (pools.includes(offer)) return offer;
  const known = pools.length ? pools.join(', ') : 'none: set "codePool": true on an offer';
  throw new UsageError(`--offer: "${offer}" is not an offer of store ${store.id} that uses a code pool (${known})`);
}

async function importCodes(argv: string[], io: Io): Promise<number> {
  const files = positionals(argv);
  if (files.length !== 1) throw new UsageError('give exactly one file of codes (CSV or one code per line)');
  const file = resolve(files[0] ?? '');
  const args = parseOptions(
    argv.filter((arg) => arg !== files[0]),
    options,
    importSchema,
  );
  useTarget(args);
  const store = requireStore(args.store);
  const offer = poolOffer(store, args.offer);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const parsed = readCodesFile(text);
  const counts = { added: 0, known: 0 };
  const failed: string[] = [];
  const importedAt = new Date(now()).toISOString();
  await mapLimit(parsed.codes, 8, async (code) => {
    try {
      counts[await addDiscountCode(store.id, offer, code, importedAt)] += 1;
    } catch (error) {
      failed.push(`${code}: ${(error as Error).name}`);
    }
  });
  const remaining = await remainingDiscountCodes(store.id, offer);
  io.out(
    [
      `Imported ${counts.added} new code(s) from ${file} into the pool of ${offer} (store ${store.id}).`,
      `Already in the pool: ${counts.known}; repeated in the file: ${parsed.repeated} (ignored).`,
      `Rejected lines: ${parsed.rejected.length}${parsed.rejected.length ? ' (not imported; fix them and import the file again)' : ''}`,
      ...parsed.rejected.map((bad) => `  line ${bad.line}: ${bad.message}`),
      ...(failed.length
        ? [`Not stored (import the file again): ${failed.length}`, ...failed.map((f) => `  ${f}`)]
        : []),
      `Free codes in the pool now: ${remaining}.`,
    ].join('\n'),
  );
  return parsed.rejected.length || failed.length ? 1 : 0;
}

/** The report's warning: each pool below its alarm threshold, with what to do; nothing when all are fine. */
export async function lowPoolWarnings(store: StoreConfig): Promise<string[]> {
  const threshold = store.discountCodes.lowPoolAlarmBelow;
  const offers = codePoolOffers(getConfig().defaults, store);
  const remaining = await mapLimit(offers, 4, (offer) => remainingDiscountCodes(store.id, offer));
  return offers.flatMap((offer, index) =>
    (remaining[index] ?? 0) < threshold
      ? [
          `Discount codes running low: ${offer} has ${remaining[index]} free (alarm below ${threshold}); ` +
            `aftercare codes import --store ${store.id} --offer ${offer} <file>`,
        ]
      : [],
  );
}

async function listCodes(argv: string[], io: Io): Promise<number> {
  const args = parseOptions(argv, options, listSchema);
  useTarget(args);
  const store = requireStore(args.store);
  const offers = args.offer ? [poolOffer(store, args.offer)] : codePoolOffers(getConfig().defaults, store);
  if (offers.length === 0) {
    io.out(`Store ${store.id} has no offer with "codePool": true.`);
    return 0;
  }
  const threshold = store.discountCodes.lowPoolAlarmBelow;
  const rows = await mapLimit(offers, 4, async (offer) => {
    const remaining = await remainingDiscountCodes(store.id, offer);
    return [offer, String(remaining), remaining < threshold ? `LOW (alarm below ${threshold})` : 'ok'];
  });
  io.out(table(['offer', 'free codes', 'state'], rows));
  return 0;
}

export const codes: Command = {
  name: 'codes',
  summary: 'import single-use discount codes into an offer’s pool, and list what is left',
  help: HELP,
  async execute(argv, io) {
    const [action, ...rest] = argv;
    if (action === 'import') return importCodes(rest, io);
    if (action === 'list') return listCodes(rest, io);
    throw new UsageError(`expected "import" or "list", got ${action ? `"${action}"` : 'nothing'}`);
  },
};
