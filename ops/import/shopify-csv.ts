import * as z from 'zod';
import { firstWord, toInstant } from '../../functions/shared/sources/fields.ts';
import { CsvError, csvObjects, parseCsv } from './csv.ts';
import { type ImportFile, parseWithSource } from './orders.ts';

/** Blank cells mean "not given". */
const cell = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema.optional());

/** Shopify writes "2024-03-05 14:23:11 +0100". */
const shopifyTime = z.string().transform((value, ctx) => {
  const instant = toInstant(
    value
      .trim()
      .replace(/\s+UTC$/i, 'Z')
      .replace(/\s+([+-]\d{2}:?\d{2})$/, '$1'),
  );
  if (instant) return instant;
  ctx.issues.push({ code: 'custom', message: 'expected a date such as 2024-03-05 14:23:11 +0100', input: value });
  return z.NEVER;
});
const decimal = z
  .string()
  .trim()
  .regex(/^-?\d+(\.\d+)?$/, 'expected an amount such as 19.99');

/** The columns of Shopify's orders export that Aftercare reads; every other column is ignored. */
const rowSchema = z.object({
  Name: z.string().trim().min(1, 'is required'),
  Id: cell(z.string().trim().regex(/^\d+$/, 'expected the numeric order id')),
  Email: cell(z.string().trim().pipe(z.email('expected an email address'))),
  'Financial Status': cell(z.string().trim().toLowerCase()),
  'Paid at': cell(shopifyTime),
  'Fulfilled at': cell(shopifyTime),
  'Cancelled at': cell(shopifyTime),
  'Created at': cell(shopifyTime),
  'Accepts Marketing': cell(
    z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(['yes', 'no'], 'expected yes or no')),
  ),
  Currency: cell(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z]{3}$/, 'expected a currency code such as EUR'),
  ),
  Total: cell(decimal),
  'Billing Name': cell(z.string()),
  'Lineitem quantity': z.string().trim().regex(/^\d+$/, 'expected a whole number'),
  'Lineitem name': z.string().trim().min(1, 'is required'),
  'Lineitem price': decimal,
  'Lineitem sku': cell(z.string().trim()),
});
type Row = z.output<typeof rowSchema>;

const ORDER_LEVEL: (keyof Row)[] = ['Created at', 'Currency'];

/**
 * Shopify's orders export: one row per line item, rows of an order share `Name`, and the order's own columns
 * (email, dates, totals) are filled on its first row only. Each order becomes the Shopify order JSON the webhook
 * would have carried, then goes through the Shopify parser. A bad row marks its whole order bad.
 */
export function readShopifyCsv(text: string, storeId: string, now: number): ImportFile {
  const result: ImportFile = { orders: [], bad: [] };
  let rows: ReturnType<typeof csvObjects>;
  try {
    rows = csvObjects(parseCsv(text));
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    result.bad.push({ lines: [error.line], message: `${error.message}; the rest of the file cannot be read` });
    return result;
  }
  for (const [name, group] of groupByOrder(rows)) {
    const first = group.rows[0];
    const problems = orderProblems(name, group);
    if (problems !== undefined || !first) {
      result.bad.push({ lines: group.lines, message: problems ?? '' });
      continue;
    }
    const order = shopifyOrder(name, first, group.rows);
    const purchase = parseWithSource('shopify', JSON.stringify(order), 'orders/create', storeId, now);
    if ('error' in purchase) result.bad.push({ lines: group.lines, message: `order ${name}: ${purchase.error}` });
    else result.orders.push({ orderId: order.id, lines: group.lines, purchase });
  }
  return result;
}

interface OrderRows {
  lines: number[];
  rows: Row[];
  problems: { line: number; text: string }[];
}

/** The file's rows by order `Name`, each row parsed; a row's issues are kept on its order. */
function groupByOrder(rows: ReturnType<typeof csvObjects>): Map<string, OrderRows> {
  const groups = new Map<string, OrderRows>();
  for (const { line, row } of rows) {
    const parsed = rowSchema.safeParse(row);
    // A row without Name belongs to no order: it is reported on its own.
    const name = (row.Name ?? '').trim() || `\u0000${line}`;
    const group = groups.get(name) ?? { lines: [], rows: [], problems: [] };
    groups.set(name, group);
    group.lines.push(line);
    if (parsed.success) group.rows.push(parsed.data);
    else
      for (const issue of parsed.error.issues)
        group.problems.push({ line, text: `${issue.path.join('.') || 'row'}: ${issue.message}` });
  }
  return groups;
}

/** Why an order cannot be imported (its rows' issues, then missing order-level columns), or undefined. */
function orderProblems(name: string, group: OrderRows): string | undefined {
  const first = group.rows[0];
  const line = group.lines[0] ?? 0;
  const missing = ORDER_LEVEL.filter((c) => first && first[c] === undefined).map((column) => ({
    line,
    text: `${column}: is required on the order's first row`,
  }));
  const all = [...group.problems, ...missing];
  if (all.length === 0 && first) return undefined;
  const where = (p: { line: number }) => (group.lines.length > 1 ? `line ${p.line}: ` : '');
  const problems = all.map((p) => `${where(p)}${p.text}`).join('; ');
  return name.startsWith('\u0000') ? problems : `order ${name}: ${problems}`;
}

/** The Shopify order JSON the webhook would have carried for these rows (order columns from the first). */
function shopifyOrder(name: string, first: Row, rows: readonly Row[]) {
  const orderId = first.Id ?? name.replace(/^#/, '');
  return {
    id: orderId,
    name,
    email: first.Email,
    buyer_accepts_marketing: first['Accepts Marketing'] === 'yes',
    billing_address: { first_name: firstWord(first['Billing Name']) },
    currency: first.Currency,
    total_price: first.Total,
    created_at: first['Created at'],
    processed_at: first['Paid at'] ?? first['Created at'],
    cancelled_at: first['Cancelled at'],
    financial_status: first['Financial Status'],
    fulfillments: first['Fulfilled at'] ? [{ shipment_status: 'delivered', created_at: first['Fulfilled at'] }] : [],
    line_items: rows.map((row, index) => ({
      id: `${orderId}-${index + 1}`,
      title: row['Lineitem name'],
      sku: row['Lineitem sku'],
      quantity: Number(row['Lineitem quantity']),
      price: row['Lineitem price'],
    })),
  };
}
