// List codes: 20 digits (Code 128 friendly, never confused with a 13-digit card) = 9 · key id · day · serial · MAC · GS1
// check digit (core/ean.ts). The check digit catches every single-digit typo; a 6-digit truncated HMAC (RFC 2104,
// truncation as in HOTP, RFC 4226) keyed by the store stops codes being guessed or forged offline.
import { err, ok, type Result } from '../result.ts';
import { gs1CheckDigit } from '../ean.ts';

/** A keyed MAC (e.g. HMAC-SHA-256 with the store key `keyId`), injected so core stays free of key storage. */
export type Mac = (keyId: number, message: Uint8Array) => Promise<Uint8Array>;

/** Length of a list code in digits. */
export const LIST_CODE_LENGTH = 20;
/** Leading digit of every list code (GS1 prefix 9x is not used by member cards here). */
export const LIST_CODE_PREFIX = '9';
/** Digits of MAC carried in a code. */
export const MAC_DIGITS = 6;

/** The fields of a list code. */
export interface ListCodeParts {
  /** 0..9, so keys can rotate without invalidating printed lists. */
  keyId: number;
  /** Issue day modulo 100,000. */
  day: number;
  /** Serial number of the list modulo 1,000,000. */
  serial: number;
  /** The MAC digits as printed. */
  mac: string;
  /** The signed digits: prefix, key id, day and serial. */
  body: string;
}

/** Why a scanned text is not a list code. */
export type ListCodeError = 'wrong-length' | 'not-a-list-code' | 'bad-check-digit';

/** The MAC digits of a body: the first 4 bytes of the MAC as a big-endian integer, mod 10^6. */
export async function macDigits(mac: Mac, keyId: number, body: string): Promise<string> {
  const bytes = await mac(keyId, new TextEncoder().encode(body));
  if (bytes.length < 4) return ''.padStart(MAC_DIGITS, 'x'); // unknown key: matches no printed digits
  const v = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  return String(v % 10 ** MAC_DIGITS).padStart(MAC_DIGITS, '0');
}

/** The body digits of a code for a key, day and serial. */
export function listCodeBody(keyId: number, day: number, serial: number): string {
  return `${LIST_CODE_PREFIX}${keyId % 10}${String(((day % 100_000) + 100_000) % 100_000).padStart(5, '0')}${String(serial % 1_000_000).padStart(6, '0')}`;
}

/** Issue a list code: body, MAC digits, check digit. */
export async function issueListCode(p: { keyId: number; day: number; serial: number }, mac: Mac): Promise<string> {
  const keyId = p.keyId % 10;
  const body = listCodeBody(keyId, p.day, p.serial);
  const payload = body + (await macDigits(mac, keyId, body));
  return payload + gs1CheckDigit(payload);
}

/** Parse a scanned text: digits, prefix, length and check digit (not the MAC: see {@link verifyListCode}). */
export function parseListCode(text: string): Result<ListCodeParts, ListCodeError> {
  const t = text.trim();
  if (!/^\d+$/.test(t) || t[0] !== LIST_CODE_PREFIX) return err('not-a-list-code');
  if (t.length !== LIST_CODE_LENGTH) return err('wrong-length', `${t.length} digits, a list code has ${LIST_CODE_LENGTH}`);
  if (gs1CheckDigit(t.slice(0, -1)) !== Number(t[t.length - 1])) return err('bad-check-digit');
  return ok({ keyId: Number(t[1]), day: Number(t.slice(2, 7)), serial: Number(t.slice(7, 13)), mac: t.slice(13, 19), body: t.slice(0, 13) });
}

/** True when the code's MAC digits are the store's MAC of its body (constant-time compare of the digits). */
export async function verifyListCode(parts: ListCodeParts, mac: Mac): Promise<boolean> {
  const expected = await macDigits(mac, parts.keyId, parts.body);
  if (expected.length !== parts.mac.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ parts.mac.charCodeAt(i);
  return diff === 0;
}

/** What a scanned barcode is: a 13-digit member card, a list code, or neither. */
export function scannedKind(text: string): 'card' | 'list' | 'unknown' {
  const t = text.trim();
  if (/^\d{13}$/.test(t)) return 'card';
  if (t.length === LIST_CODE_LENGTH && t[0] === LIST_CODE_PREFIX && /^\d+$/.test(t)) return 'list';
  return 'unknown';
}
