import { describe, expect, it } from 'vitest';
import { readCodesFile } from '#ops/import/codes-file.ts';

describe('files of discount codes', () => {
  it('read a text file with one code per line, skipping blank lines and # comments', () => {
    // Prepare
    const text = '# exported 2026-12-01\nBAGS-AAAA\r\n\n  BAGS-BBBB  \nBAGS-AAAA\n';

    // Act
    const file = readCodesFile(text);

    // Assess
    expect(file).toEqual({ codes: ['BAGS-AAAA', 'BAGS-BBBB'], repeated: 1, rejected: [] });
  });

  it('read the code column of a quoted CSV export (WooCommerce-style "Coupon code") and name each bad line', () => {
    // Prepare: a BOM, the code in the second column, a description holding a comma, a code with a quote.
    const text = [
      '\uFEFFID,Coupon code,Description',
      '17,WELCOME_10,"Bags, 10 % off"',
      '18,"BAD""CODE",x',
      `19,${'X'.repeat(65)},too long`,
      '20,,empty',
      '21,SPRING.2027,ok',
    ].join('\n');

    // Act
    const file = readCodesFile(text);

    // Assess
    expect(file.codes).toEqual(['WELCOME_10', 'SPRING.2027']);
    expect(file.rejected.map((bad) => bad.line)).toEqual([3, 4, 5]);
    expect(file.rejected[0]?.message).toBe('"BAD\\"CODE": a code is 1–64 letters, digits, dots, dashes or underscores');
    expect(file.rejected[1]?.message).toMatch(/^"X{40}…": a code is/);
  });
});
