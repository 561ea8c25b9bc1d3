import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as z from 'zod';
import { dateArgument, defineCommand, storeId, TARGET_HELP, targetOptions, targetSchema } from '../command.ts';
import { aggregateReport } from '../report/aggregate.ts';
import { collectReport } from '../report/collect.ts';
import { renderHtml } from '../report/html.ts';
import { renderTerminal } from '../report/terminal.ts';
import { requireStore, useTarget } from '../target.ts';
import { lowPoolWarnings } from './codes.ts';

const schema = z
  .strictObject({
    store: storeId,
    from: dateArgument,
    to: dateArgument,
    html: z.string().min(1).optional(),
    ...targetSchema,
  })
  .refine((args) => !(Date.parse(args.from) > Date.parse(args.to)), {
    message: 'must not be before --from',
    path: ['to'],
  });

/** "2026-01-31" stays as it is (whole days compare by prefix); a date-time becomes canonical UTC. */
const bound = (value: string) => (value.length === 10 ? value : new Date(value).toISOString());

export const report = defineCommand({
  name: 'report',
  summary: 'figures for a store and period, in the terminal and as an HTML page with charts',
  help: `Usage: aftercare report --store <id> --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--html <file>]

For the purchases bought in the period (UTC dates, both included): emails sent / skipped (by reason) / postponed
per sequence, delivery, bounce and complaint rates, survey response rate, NPS (promoters 9–10 minus detractors
0–6, with the counts) and CSAT by product and by month of purchase, detractor alerts, and offer conversions (the
offered SKU bought by the same customer while the code was valid); a warning for each pool of single-use
discount codes below its alarm threshold.

  --html FILE   also write a self-contained HTML report with charts (no external assets)

${TARGET_HELP}`,
  options: {
    store: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    html: { type: 'string' },
    ...targetOptions,
  },
  schema,
  async run(args, io) {
    useTarget(args);
    const store = requireStore(args.store);
    const input = await collectReport(store.id, bound(args.from), bound(args.to));
    const figures = aggregateReport(input);
    io.out(renderTerminal(figures));
    const warnings = await lowPoolWarnings(store);
    if (warnings.length) io.out(`\n${warnings.join('\n')}`);
    if (args.html) {
      const file = resolve(args.html);
      writeFileSync(file, renderHtml(figures, new Date().toISOString()));
      io.out(`\nHTML report: ${file}`);
    }
    return 0;
  },
});
