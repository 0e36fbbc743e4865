// EAN-13 / GTIN check digits (GS1 mod-10), used by member cards and list codes.

/** The GS1 check digit for a string of digits (without its check digit). */
export function gs1CheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(digits.length - 1 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when `code` is 13 digits whose last digit is the right check digit. */
export function isValidEan13(code: string): boolean {
  return /^\d{13}$/.test(code) && gs1CheckDigit(code.slice(0, 12)) === Number(code[12]);
}

/** Complete 12 digits into an EAN-13. */
export function toEan13(twelve: string): string {
  if (!/^\d{12}$/.test(twelve)) throw new Error(`toEan13 needs 12 digits, got "${twelve}"`);
  return twelve + gs1CheckDigit(twelve);
}
