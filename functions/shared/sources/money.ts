/** Money stays a decimal string from payload to email: no float arithmetic, no rounding. */
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** "19.99", " 19.99 ", 19.99 and 15 → "19.99" / "15"; anything else (NaN, "1,50", 1e-7, "") → undefined. */
export function toDecimal(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return DECIMAL.test(trimmed) ? trimmed : undefined;
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    const text = String(value);
    return DECIMAL.test(text) ? text : undefined;
  }
  return undefined;
}

/** Stripe's minor units: currencies without cents, and the three with three decimals (docs.stripe.com/currencies). */
const ZERO_DECIMAL = new Set('BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF'.split(' '));
const THREE_DECIMAL = new Set('BHD JOD KWD OMR TND'.split(' '));

export function minorUnitDigits(currency: string): number {
  if (ZERO_DECIMAL.has(currency)) return 0;
  return THREE_DECIMAL.has(currency) ? 3 : 2;
}

/** 1900 USD → "19.00", 1900 JPY → "1900", 1234 KWD → "1.234". `amount` is a safe integer. */
export function fromMinorUnits(amount: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const sign = amount < 0 ? '-' : '';
  const text = String(Math.abs(amount)).padStart(digits + 1, '0');
  if (digits === 0) return sign + text;
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
