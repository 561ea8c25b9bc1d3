import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as z from 'zod';
import { now } from '../../functions/shared/clock.ts';
import { getConfig } from '../../functions/shared/config/load.ts';
import { defineCommand, storeId, TARGET_HELP, targetOptions, targetSchema, UsageError } from '../command.ts';
import { mapLimit } from '../data.ts';
import { readJsonLines } from '../import/jsonl.ts';
import { describeLines, type ImportFile } from '../import/orders.ts';
import { progress } from '../import/progress.ts';
import { readShopifyCsv } from '../import/shopify-csv.ts';
import { storeImportedPurchase } from '../import/write.ts';
import { requireStore, useTarget } from '../target.ts';

const schema = z
  .strictObject({
    store: storeId,
    'shopify-csv': z.string().min(1).optional(),
    jsonl: z.string().min(1).optional(),
    ...targetSchema,
  })
  .refine((args) => (args['shopify-csv'] === undefined) !== (args.jsonl === undefined), {
    message: 'give exactly one of --shopify-csv and --jsonl',
  });

export const importOrders = defineCommand({
  name: 'import',
  summary: 'historical orders enter the sequences that are still due; long-past steps are skipped',
  help: `Usage: aftercare import --store <id> (--shopify-csv <orders_export.csv> | --jsonl <orders.jsonl>)

  --shopify-csv FILE  Shopify admin → Orders → Export (CSV, one row per line item). Product rules that match by
                      SKU apply; the export has no product type or product tags.
  --jsonl FILE        one order per line, in the generic format's "data" shape (functions/shared/sources/GENERIC.md)

Each order is stored once, like a webhook event (re-running the same file changes nothing; orders Aftercare already
has are left alone). Steps whose time passed before the import are skipped, the rest (warranty reminders, care
reminders) are sent when due. Bad rows are listed with their line numbers and do not stop the others.
Exit code 1 when some rows were bad or could not be stored.

${TARGET_HELP}`,
  options: {
    store: { type: 'string' },
    'shopify-csv': { type: 'string' },
    jsonl: { type: 'string' },
    ...targetOptions,
  },
  schema,
  async run(args, io) {
    useTarget(args);
    const store = requireStore(args.store);
    const csv = args['shopify-csv'];
    const file = resolve(csv ?? args.jsonl ?? '');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const parsed: ImportFile = csv ? readShopifyCsv(text, store.id, now()) : readJsonLines(text, store.id, now());
    const counts = { imported: 0, known: 0 };
    const failed: string[] = [];
    const bar = progress(io, parsed.orders.length, 'import');
    await mapLimit(parsed.orders, 8, async (order) => {
      try {
        counts[await storeImportedPurchase(order.purchase, csv ? 'shopify-csv' : 'jsonl')] += 1;
      } catch (error) {
        failed.push(`${describeLines(order.lines)}: order ${order.orderId} not stored: ${(error as Error).message}`);
      }
      bar.tick();
    });
    bar.finish();
    const bad = parsed.bad.map((rows) => `  ${describeLines(rows.lines)}: ${rows.message}`);
    io.out(
      [
        `Imported ${counts.imported} order(s) from ${file} into store ${store.id}.`,
        `Already in Aftercare: ${counts.known} (imported before, or received by webhook).`,
        `Bad rows: ${parsed.bad.reduce((sum, rows) => sum + rows.lines.length, 0)}${bad.length ? ' (nothing was imported from them)' : ''}`,
        ...bad,
        ...(failed.length ? [`Not stored (try again): ${failed.length}`, ...failed.map((line) => `  ${line}`)] : []),
        `Steps more than ${getConfig().sending.lateGraceHours} h past at import time are skipped; the rest follow their sequences.`,
      ].join('\n'),
    );
    return parsed.bad.length || failed.length ? 1 : 0;
  },
});
