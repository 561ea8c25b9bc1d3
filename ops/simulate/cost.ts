/** List prices (us-east-1, on demand, without free tier), as of 2026. */
export const PRICES = {
  stepFunctionsTransition: 0.025 / 1_000,
  lambdaRequest: 0.2 / 1_000_000,
  /** arm64, as the stack deploys the functions (infra/aws/functions.ts). */
  lambdaGbSecond: 0.000_013_333_4,
  dynamoWrite: 0.625 / 1_000_000,
  dynamoRead: 0.125 / 1_000_000,
  sesEmail: 0.1 / 1_000,
  apiRequest: 1 / 1_000_000,
};

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

/** What a run used, in totals. */
export interface Usage {
  purchases: number;
  transitions: number;
  lambdaInvocations: number;
  dynamoRequests: Record<string, number>;
  emails: number;
  apiRequests: number;
}

export interface CostLine {
  item: string;
  per1000: number;
  unit: string;
  usd: number;
}

export function dynamoSplit(requests: Record<string, number>) {
  let writes = 0;
  let reads = 0;
  for (const [operation, count] of Object.entries(requests)) {
    if (WRITES.has(operation)) writes += count;
    else if (READS.has(operation)) reads += count;
  }
  return { writes, reads };
}

/**
 * List cost per 1,000 purchases. DynamoDB counts one request unit per call: items over 1 KB (a purchase with its
 * plans is a few KB) and index updates cost more, so that line is a lower bound. Lambda time is an assumption
 * (`lambdaMs` average billed duration), shown at 128 and 512 MB.
 */
export function costPer1000(usage: Usage, lambdaMs: number): CostLine[] {
  const scale = usage.purchases ? 1000 / usage.purchases : 0;
  const { writes, reads } = dynamoSplit(usage.dynamoRequests);
  const gbSeconds = (memoryMb: number) => usage.lambdaInvocations * scale * (lambdaMs / 1000) * (memoryMb / 1024);
  const line = (item: string, per1000: number, unit: string, price: number): CostLine => ({
    item,
    per1000,
    unit,
    usd: per1000 * price,
  });
  return [
    line('Step Functions Standard', usage.transitions * scale, 'transitions', PRICES.stepFunctionsTransition),
    line('Lambda requests', usage.lambdaInvocations * scale, 'invocations', PRICES.lambdaRequest),
    line(`Lambda compute arm64 128 MB (${lambdaMs} ms avg)`, gbSeconds(128), 'GB-s', PRICES.lambdaGbSecond),
    line(`Lambda compute arm64 512 MB (${lambdaMs} ms avg)`, gbSeconds(512), 'GB-s', PRICES.lambdaGbSecond),
    line('DynamoDB writes (≥)', writes * scale, 'write units', PRICES.dynamoWrite),
    line('DynamoDB reads (≥)', reads * scale, 'read units', PRICES.dynamoRead),
    line('SES', usage.emails * scale, 'emails', PRICES.sesEmail),
    line('API Gateway HTTP API', usage.apiRequests * scale, 'requests', PRICES.apiRequest),
  ];
}

/** Totals at 128 MB and at 512 MB (each total counts only its own Lambda compute line). */
export function totals(lines: readonly CostLine[]): { at128: number; at512: number } {
  const sum = (skip: string) => lines.filter((l) => !l.item.includes(skip)).reduce((s, l) => s + l.usd, 0);
  return { at128: sum('512 MB'), at512: sum('128 MB') };
}
