import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyStreamMapping } from '../../infra/functions.ts';
import { matchesFilterCriteria, matchesPattern } from '../../local-cloud/event-filter.ts';

// Lambda event filtering: https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
const record = (eventName: string, sk: string | undefined) => ({
  eventName,
  dynamodb: { Keys: { PK: { S: 'PURCHASE#demo#1001' }, ...(sk === undefined ? {} : { SK: { S: sk } }) } },
});
const reachesApply = (value: unknown) => matchesFilterCriteria([applyStreamMapping.filterPattern], value);

describe('the apply mapping filter, applied locally from the deployed pattern', () => {
  it('lets newly stored webhook events through and nothing else', () => {
    expect(reachesApply(record('INSERT', 'EVENT#shopify#123'))).toBe(true);
    expect(reachesApply(record('MODIFY', 'EVENT#shopify#123'))).toBe(false);
    expect(reachesApply(record('REMOVE', 'EVENT#shopify#123'))).toBe(false);
    expect(reachesApply(record('INSERT', 'PURCHASE'))).toBe(false);
    expect(reachesApply(record('INSERT', 'STEP#follow-up#thanks'))).toBe(false);
    expect(reachesApply(record('INSERT', undefined))).toBe(false);
    expect(reachesApply({ eventName: 'INSERT' })).toBe(false);
  });

  it('says exactly "an INSERT whose sort key starts with EVENT#" for any record', () => {
    const sortKey = fc.oneof(
      fc.string(),
      fc.string().map((s) => `EVENT#${s}`),
      fc.constantFrom('EVENT', 'event#x'),
    );
    fc.assert(
      fc.property(fc.constantFrom('INSERT', 'MODIFY', 'REMOVE', 'insert'), fc.option(sortKey), (name, sk) => {
        const expected = name === 'INSERT' && sk !== null && sk.startsWith('EVENT#');
        expect(reachesApply(record(name, sk ?? undefined))).toBe(expected);
      }),
    );
  });
});

describe('event filter operators', () => {
  it('matches a list of values as any one of them, and a missing field as no match', () => {
    expect(matchesPattern({ a: ['x', 'y'] }, { a: 'y' })).toBe(true);
    expect(matchesPattern({ a: ['x', 'y'] }, { a: 'z' })).toBe(false);
    expect(matchesPattern({ a: ['x'] }, {})).toBe(false);
    expect(matchesPattern({ a: [1] }, { a: '1' })).toBe(false);
  });

  it('applies prefix, suffix and equals-ignore-case to strings only', () => {
    expect(matchesPattern({ a: [{ prefix: 'EV' }] }, { a: 'EVENT' })).toBe(true);
    expect(matchesPattern({ a: [{ prefix: 'EV' }] }, { a: 42 })).toBe(false);
    expect(matchesPattern({ a: [{ suffix: '.png' }] }, { a: 'x.png' })).toBe(true);
    expect(matchesPattern({ a: [{ 'equals-ignore-case': 'insert' }] }, { a: 'INSERT' })).toBe(true);
  });

  it('applies exists, anything-but and numeric ranges', () => {
    expect(matchesPattern({ a: [{ exists: true }] }, { a: 0 })).toBe(true);
    expect(matchesPattern({ a: [{ exists: false }] }, { b: 1 })).toBe(true);
    expect(matchesPattern({ a: [{ exists: false }] }, { a: 1 })).toBe(false);
    expect(matchesPattern({ a: [{ 'anything-but': ['x', 'y'] }] }, { a: 'z' })).toBe(true);
    expect(matchesPattern({ a: [{ 'anything-but': 'x' }] }, { a: 'x' })).toBe(false);
    expect(matchesPattern({ a: [{ 'anything-but': 'x' }] }, {})).toBe(false);
    expect(matchesPattern({ a: [{ numeric: ['>', 0, '<=', 5] }] }, { a: 5 })).toBe(true);
    expect(matchesPattern({ a: [{ numeric: ['>', 0, '<=', 5] }] }, { a: 6 })).toBe(false);
  });

  it('refuses what Lambda would refuse rather than letting records through', () => {
    expect(() => matchesPattern({ a: [{ wildcard: '*x' }] }, { a: 'x' })).toThrow(/unsupported operator "wildcard"/);
    expect(() => matchesPattern({ a: [] }, { a: 'x' })).toThrow(/empty list/);
    expect(() => matchesPattern({ a: [{ numeric: ['~', 1] }] }, { a: 1 })).toThrow(/numeric comparison/);
  });
});
