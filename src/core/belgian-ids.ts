/**
 * Belgian identifiers: enterprise numbers (KBO/BCE, scheme 0208), VAT numbers, structured
 * communications (OGM/VCS) and IBANs. All are mod-97 checks on digit strings.
 */

/** 10-digit enterprise number: 97 − (first 8 digits mod 97) equals the last two digits. */
export function isValidEnterpriseNumber(value: string): boolean {
  if (!/^[01]\d{9}$/.test(value)) return false;
  const check = 97 - Number(BigInt(value.slice(0, 8)) % 97n);
  return check === Number(value.slice(8));
}

/** Completes 8 leading digits (first digit 0 or 1) into a valid 10-digit enterprise number. */
export function enterpriseNumberFromBase(base8: string): string {
  if (!/^[01]\d{7}$/.test(base8)) throw new RangeError(`enterprise number base must be 8 digits starting with 0 or 1: ${base8}`);
  const check = 97 - Number(BigInt(base8) % 97n);
  return base8 + String(check).padStart(2, '0');
}

/**
 * The 10 digits of a Belgian VAT number as people write it: "BE0477472701", "BE 0477.472.701",
 * "BE-0477-472-701", or the old 9-digit form "BE477472701" (a leading 0 was added in 2005). Null
 * when it is not BE followed by 9 or 10 digits.
 */
export function belgianVatDigits(value: string): string | null {
  const match = /^BE(\d{9,10})$/i.exec(value.replace(/[^A-Za-z0-9]/g, ''));
  return match === null ? null : match[1]!.padStart(10, '0');
}

/** "BE" + a valid enterprise number, in any of the ways belgianVatDigits reads. */
export function isValidBelgianVat(value: string): boolean {
  const digits = belgianVatDigits(value);
  return digits !== null && isValidEnterpriseNumber(digits);
}

/**
 * Peppol's own test of a 0208 identifier (PEPPOL-COMMON-R043): 10 digits whose last two are
 * 97 − (first 8 mod 97). Unlike isValidEnterpriseNumber it puts no rule on the first digit.
 */
export function passesPeppol0208(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  return 97 - Number(BigInt(value.slice(0, 8)) % 97n) === Number(value.slice(8));
}

/** Structured communication check digits: first 10 digits mod 97, where 0 becomes 97. */
export function structuredCommunicationCheck(first10: string): string {
  const rest = Number(BigInt(first10) % 97n);
  return String(rest === 0 ? 97 : rest).padStart(2, '0');
}

/** Accepts "+++123/4567/89012+++", "123/4567/89012" or 12 plain digits. */
export function isValidStructuredCommunication(value: string): boolean {
  const digits = value.replace(/[+/\s*]/g, '');
  if (!/^\d{12}$/.test(digits)) return false;
  return structuredCommunicationCheck(digits.slice(0, 10)) === digits.slice(10);
}

/** Formats 12 digits as +++ddd/dddd/ddddd+++. */
export function formatStructuredCommunication(digits12: string): string {
  return `+++${digits12.slice(0, 3)}/${digits12.slice(3, 7)}/${digits12.slice(7)}+++`;
}

/** ISO 13616 IBAN check (mod 97 == 1 on the rearranged, letter-expanded string). */
export function isValidIban(value: string): boolean {
  const iban = value.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/.test(iban)) return false;
  return ibanRemainder(iban.slice(4) + iban.slice(0, 4)) === 1n;
}

/** Builds a Belgian IBAN from a 12-digit BBAN (whose own last two digits must already be its mod-97 check). */
export function belgianIbanFromBban(bban12: string): string {
  const remainder = ibanRemainder(`${bban12}BE00`);
  const check = String(98n - remainder).padStart(2, '0');
  return `BE${check}${bban12}`;
}

function ibanRemainder(rearranged: string): bigint {
  const expanded = rearranged.replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55));
  return BigInt(expanded) % 97n;
}
