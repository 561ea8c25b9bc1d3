/**
 * Lambda event filtering, as an event source mapping applies its FilterCriteria: a record reaches the function when
 * any one pattern matches it. A pattern matches when every field it names matches; a leaf is a list of values and
 * operators of which one must match. The operators are Lambda's documented ones
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html#filtering-syntax); a pattern using
 * anything else is refused, as CreateEventSourceMapping refuses it, instead of silently letting records through.
 */
export type FilterPattern = { readonly [field: string]: FilterPattern | readonly FilterValue[] };
type Scalar = string | number | boolean | null;
type FilterValue = Scalar | { readonly [operator: string]: unknown };

export function matchesFilterCriteria(patterns: readonly FilterPattern[], record: unknown): boolean {
  return patterns.some((pattern) => matchesPattern(pattern, record));
}

export function matchesPattern(pattern: FilterPattern, value: unknown): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    const actual = isObject(value) ? value[field] : undefined;
    if (Array.isArray(expected)) return matchesLeaf(expected, actual);
    if (!isObject(expected)) throw new Error(`event filter: field "${field}" must be a list of values or a pattern`);
    return matchesPattern(expected as FilterPattern, actual);
  });
}

function matchesLeaf(expected: readonly FilterValue[], actual: unknown): boolean {
  if (expected.length === 0) throw new Error('event filter: an empty list matches nothing and is refused');
  return expected.some((rule) => (isObject(rule) ? matchesOperator(rule, actual) : rule === actual));
}

function matchesOperator(rule: { readonly [operator: string]: unknown }, actual: unknown): boolean {
  const entries = Object.entries(rule);
  const [operator, argument] = entries[0] ?? [];
  if (entries.length !== 1 || operator === undefined) throw new Error('event filter: one operator per rule');
  switch (operator) {
    case 'exists':
      return argument === (actual !== undefined);
    case 'prefix':
      return typeof actual === 'string' && actual.startsWith(stringArgument(operator, argument));
    case 'suffix':
      return typeof actual === 'string' && actual.endsWith(stringArgument(operator, argument));
    case 'equals-ignore-case':
      return typeof actual === 'string' && actual.toLowerCase() === stringArgument(operator, argument).toLowerCase();
    case 'anything-but': {
      const excluded = Array.isArray(argument) ? argument : [argument];
      return actual !== undefined && !excluded.includes(actual);
    }
    case 'numeric':
      return typeof actual === 'number' && matchesNumeric(argument, actual);
    default:
      throw new Error(`event filter: unsupported operator "${operator}"`);
  }
}

function matchesNumeric(argument: unknown, actual: number): boolean {
  if (!Array.isArray(argument) || argument.length % 2 !== 0 || argument.length === 0)
    throw new Error('event filter: numeric takes pairs of comparison and number');
  for (let i = 0; i < argument.length; i += 2) {
    const [comparison, bound] = [argument[i], argument[i + 1]];
    if (typeof bound !== 'number') throw new Error('event filter: numeric bounds are numbers');
    if (!COMPARE[comparison as string]) throw new Error(`event filter: unknown numeric comparison "${comparison}"`);
    if (!COMPARE[comparison as string]?.(actual, bound)) return false;
  }
  return true;
}

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function stringArgument(operator: string, argument: unknown): string {
  if (typeof argument !== 'string') throw new Error(`event filter: ${operator} takes a string`);
  return argument;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
