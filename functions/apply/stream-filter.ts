/**
 * Which table stream records reach the apply function: newly stored webhook events. The CDK event source
 * mapping uses the pattern; the local stream uses the predicate. Keep them saying the same thing.
 */
export const EVENT_SORT_KEY_PREFIX = 'EVENT#';

export const applyStreamFilterPattern = {
  eventName: ['INSERT'],
  dynamodb: { Keys: { SK: { S: [{ prefix: EVENT_SORT_KEY_PREFIX }] } } },
} as const;

export function matchesApplyStreamFilter(record: {
  eventName?: string;
  dynamodb?: { Keys?: { SK?: { S?: string } } };
}): boolean {
  return record.eventName === 'INSERT' && (record.dynamodb?.Keys?.SK?.S ?? '').startsWith(EVENT_SORT_KEY_PREFIX);
}
