import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { issueListCode, LIST_CODE_LENGTH, parseListCode, scannedKind, verifyListCode, type Mac } from './list-code.ts';
import { gs1CheckDigit, toEan13 } from '../ean.ts';

// HMAC-SHA-256 with Web Crypto, as the worker does; key 1 and key 2 are two generations of the store key.
function hmac(keys: Record<number, string>): Mac {
  const imported = new Map<number, Promise<CryptoKey>>();
  return async (keyId, message) => {
    const secret = keys[keyId];
    if (secret === undefined) return new Uint8Array(0);
    let key = imported.get(keyId);
    if (!key) imported.set(keyId, (key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])));
    return new Uint8Array(await crypto.subtle.sign('HMAC', await key, message as BufferSource));
  };
}
const store = hmac({ 1: 'store key one', 2: 'store key two' });
const otherStore = hmac({ 1: 'another store', 2: 'another store 2' });

describe('list codes', () => {
  it('round-trips key id, day and serial and verifies with the store key', async () => {
    const code = await issueListCode({ keyId: 2, day: 20415, serial: 4711 }, store);
    expect(code).toMatch(/^9\d{19}$/);
    const parts = parseListCode(code);
    expect(parts).toMatchObject({ ok: true, value: { keyId: 2, day: 20415, serial: 4711 } });
    expect(parts.ok && (await verifyListCode(parts.value, store))).toBe(true);
    expect(parts.ok && (await verifyListCode(parts.value, otherStore))).toBe(false);
  });

  it('keeps printed lists valid after a key rotation', async () => {
    const old = await issueListCode({ keyId: 1, day: 20000, serial: 1 }, store);
    const parts = parseListCode(old);
    expect(parts.ok && (await verifyListCode(parts.value, store))).toBe(true);
    const retired = hmac({ 2: 'store key two' });
    expect(parts.ok && (await verifyListCode(parts.value, retired))).toBe(false);
  });

  it('is never mistaken for a member card and says what is wrong with a bad scan', () => {
    const card = toEan13('200000000001');
    expect(scannedKind(card)).toBe('card');
    expect(parseListCode(card)).toMatchObject({ ok: false });
    expect(parseListCode('9123')).toMatchObject({ ok: false, error: 'wrong-length' });
    expect(parseListCode('abc')).toMatchObject({ ok: false, error: 'not-a-list-code' });
    expect(scannedKind('9'.repeat(LIST_CODE_LENGTH))).toBe('list');
  });

  it('rejects every single-digit error', async () => {
    const code = await issueListCode({ keyId: 3, day: 20100, serial: 99 }, hmac({ 3: 'k' }));
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: LIST_CODE_LENGTH - 1 }), fc.integer({ min: 1, max: 9 }), async (pos, delta) => {
      const d = (Number(code[pos]) + delta) % 10;
      const typo = code.slice(0, pos) + d + code.slice(pos + 1);
      return !parseListCode(typo).ok;
    }), { numRuns: 2000 });
    // Exhaustively too: 20 positions × 9 wrong digits.
    for (let pos = 0; pos < code.length; pos++) for (let d = 0; d < 10; d++) if (String(d) !== code[pos]) expect(parseListCode(code.slice(0, pos) + d + code.slice(pos + 1)).ok).toBe(false);
  });

  it('lets no forged code of the right length with a valid check digit pass the MAC', async () => {
    // Fixed seed: a random 6-digit MAC matches with probability 1e-6 per try, so this run is reproducible.
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: 9 }).map((k) => k % 3), fc.stringMatching(/^\d{17}$/), async (keyId, rest) => {
      const payload = `9${keyId}${rest}`;
      const parts = parseListCode(payload + gs1CheckDigit(payload));
      expect(parts.ok).toBe(true);
      return parts.ok && !(await verifyListCode(parts.value, store));
    }), { numRuns: 1000, seed: 20261123 });
  });

  it('does not let a neighbour derive their list code from mine', async () => {
    const mine = await issueListCode({ keyId: 1, day: 20400, serial: 500 }, store);
    const theirs = await issueListCode({ keyId: 1, day: 20400, serial: 501 }, store);
    expect(mine.slice(13, 19)).not.toBe(theirs.slice(13, 19));
    const guess = mine.slice(0, 7) + '000501' + mine.slice(13, 19);
    const parts = parseListCode(guess + gs1CheckDigit(guess));
    expect(parts.ok && (await verifyListCode(parts.value, store))).toBe(false);
  });
});
