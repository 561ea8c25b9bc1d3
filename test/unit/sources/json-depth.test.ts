import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseJson } from '../../../functions/shared/sources/json.ts';

const nested = (levels: number, inner = '1') => `${'['.repeat(levels)}${inner}${']'.repeat(levels)}`;

describe('a webhook body nested too deep', () => {
  it('is refused by name above 100 levels and read at 100', () => {
    expect(() => parseJson(Buffer.from(nested(MAX_JSON_DEPTH + 1)))).toThrow(
      'body: JSON nested deeper than 100 levels',
    );
    expect(parseJson(Buffer.from(nested(MAX_JSON_DEPTH)))).toBeInstanceOf(Array);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ title: `a \\" quote then ${'['.repeat(500)}`, more: '"{{{{' });
    expect(parseJson(Buffer.from(text))).toMatchObject({ more: '"{{{{' });
    expect(() => parseJson(Buffer.from(nested(MAX_JSON_DEPTH, `"${'['.repeat(10)}"`)))).not.toThrow();
  });
});
