import { formatDecimal, parseDecimal } from '../../core/money.js';

/**
 * Exact decimal arithmetic for the EN 16931 checks. Every number (amount, quantity, percent) is held as a
 * bigint of 10^-10 units: fine enough that no real amount, price or quantity loses a digit, so sums and
 * products stay exact and only the rules' own rounding (r2) ever rounds. JS floats are never used.
 */

export const SCALE = 10;
export const ONE = 10n ** BigInt(SCALE);
/** One cent in 10^-10 units. */
const CENT = ONE / 100n;

/** xs:decimal lexical form: optional sign, digits with an optional fraction; "5." and ".5" are legal. */
const XS_DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

export interface DecimalValue {
  /** The value in 10^-10 units. */
  units: bigint;
  /** Digits after the decimal point as written (BR-DEC counts these, trailing zeros included). */
  decimals: number;
}

/** Parses an xs:decimal; null when the text is not one. */
export function readDecimal(text: string): DecimalValue | null {
  const trimmed = text.trim();
  if (!XS_DECIMAL.test(trimmed)) return null;
  const dot = trimmed.indexOf('.');
  const decimals = dot < 0 ? 0 : trimmed.length - dot - 1;
  // money.parseDecimal wants digits on both sides of the point.
  const normal = trimmed.replace(/^([+-]?)\./, '$10.').replace(/\.$/, '');
  return { units: parseDecimal(normal, SCALE), decimals };
}

/** Division rounding toward −∞ (bigint `/` truncates toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}

/**
 * r2 of ubl.md §5: the Schematron's `round(x * 100) div 100`. XPath round() takes .5 toward +∞, so −0.005
 * rounds to 0.00, not −0.01 as commercial rounding would. Returns 10^-10 units.
 */
export function r2(units: bigint): bigint {
  return floorDiv(units + CENT / 2n, CENT) * CENT;
}

export const abs = (x: bigint): bigint => (x < 0n ? -x : x);

/** x × y for two 10^-10 values, exact before the final truncation to 10^-10 (products of amounts and percents). */
export function mul(x: bigint, y: bigint): bigint {
  return (x * y) / ONE;
}

/** A parsed constant, e.g. dec('0.02'). */
export function dec(text: string): bigint {
  return parseDecimal(text, SCALE);
}

/** For messages: the value with trailing zeros dropped, but at least 2 decimals ("484.00", "0.125"). */
export function show(units: bigint): string {
  const full = formatDecimal(units, SCALE);
  return full.replace(/(\.\d\d\d*?)0+$/, '$1');
}
