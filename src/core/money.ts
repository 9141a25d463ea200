/**
 * Money as integers of the smallest unit (cents or thousandths), never JS floats.
 * Amounts are parsed from and formatted to decimal strings such as "1234.56" or "-0.05".
 */

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** Parses a decimal string into an integer count of 10^-scale units. Throws on anything that is not a plain decimal. Rounds half away from zero when the string has more decimals than `scale`. */
export function parseDecimal(text: string, scale: number): bigint {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new RangeError(`not a decimal number: ${JSON.stringify(text)}`);
  const [, sign, whole = '0', fraction = ''] = match;
  const padded = fraction.padEnd(scale, '0');
  let units = BigInt(whole + padded.slice(0, scale));
  const rest = padded.slice(scale);
  if (rest.length > 0 && rest.charCodeAt(0) >= 53 /* '5' */) units += 1n;
  return sign === '-' ? -units : units;
}

/** Formats an integer count of 10^-scale units as a decimal string with exactly `scale` decimals. */
export function formatDecimal(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`;
}

/** Divides with rounding half away from zero (the commercial rounding EN 16931 uses). */
export function divRound(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = (numerator < 0n) !== (denominator < 0n);
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n * 2n + d) / (d * 2n);
  return negative ? -q : q;
}

/** Cents to a 2-decimal string. */
export const formatCents = (cents: bigint): string => formatDecimal(cents, 2);
/** A 2-decimal string to cents. */
export const parseCents = (text: string): bigint => parseDecimal(text, 2);
