import { describe, expect, it } from 'vitest';
import { toInstant, toLocale } from '#shared/sources/fields.ts';
import { parseJson } from '#shared/sources/json.ts';
import { fromMinorUnits, toDecimal } from '#shared/sources/money.ts';

describe('what sources normalise', () => {
  it("keeps the customer's regional tag, canonical, when its language is supported", () => {
    // Prepare
    const sent = ['nl-BE', 'nl_NL', 'NL', ' fr-CA ', 'de', 'es-419', 'en-GB', 'pt-BR', 'zh', '', 'auto', 42, null];

    // Act
    const locales = sent.map(toLocale);

    // Assess
    expect(locales).toEqual([
      'nl-BE',
      'nl-NL',
      'nl',
      'fr-CA',
      'de',
      'es-419',
      'en-GB',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('turns prices sent as strings or numbers into decimal strings and refuses the rest', () => {
    // Prepare
    const sent = ['19.99', ' 5.00 ', 15, 0.1, -3.5, '1,99', '1e3', 1e-7, Number.NaN, '', null, true];

    // Act
    const decimals = sent.map(toDecimal);

    // Assess
    expect(decimals).toEqual([
      '19.99',
      '5.00',
      '15',
      '0.1',
      '-3.5',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('converts Stripe minor units honouring zero- and three-decimal currencies', () => {
    // Prepare
    const amounts = [
      [1900, 'USD'],
      [5, 'EUR'],
      [12800, 'JPY'],
      [50000, 'KRW'],
      [1234, 'KWD'],
      [0, 'GBP'],
    ] as const;

    // Act
    const decimals = amounts.map(([amount, currency]) => fromMinorUnits(amount, currency));

    // Assess
    expect(decimals).toEqual(['19.00', '0.05', '12800', '50000', '1.234', '0.00']);
  });

  it('reads dates with offsets, nanoseconds or no offset (as UTC), and refuses non-dates', () => {
    // Prepare
    const sent = [
      '2021-12-31T19:00:00-05:00',
      '2023-03-29T18:00:27.877041743Z',
      '2021-11-30T07:32:10',
      '2021-11-30 07:32:10',
      '2024-06-01T12:00:00+0530',
      '2024-06-01',
      'yesterday',
      '2024-13-01T00:00:00Z',
      1717243200,
    ];

    // Act
    const instants = sent.map(toInstant);

    // Assess
    expect(instants).toEqual([
      '2022-01-01T00:00:00.000Z',
      '2023-03-29T18:00:27.877Z',
      '2021-11-30T07:32:10.000Z',
      '2021-11-30T07:32:10.000Z',
      '2024-06-01T06:30:00.000Z',
      '2024-06-01T00:00:00.000Z',
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('parses JSON without losing digits of big ids, keeping other numbers and escaped slashes intact', () => {
    // Prepare
    const body = Buffer.from(
      '\uFEFF{"id":12345678901234567891,"small":42,"price":19.9,"big_float":1.5e300,"url":"https:\\/\\/shop.example\\/o\\/1"}',
    );

    // Act
    const parsed = parseJson(body);

    // Assess
    expect(parsed).toEqual({
      id: '12345678901234567891',
      small: 42,
      price: 19.9,
      big_float: 1.5e300,
      url: 'https://shop.example/o/1',
    });
  });
});
