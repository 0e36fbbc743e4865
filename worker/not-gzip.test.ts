import 'fake-indexeddb/auto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createEngine } from './engine-api.ts';
import { cardCodeOf } from '../cli/transactions.ts';

const MEMBERS = `member_id,card_code,consent_personalise\nM1,${cardCodeOf(1)},true\nM2,${cardCodeOf(2)},true\n`;

describe('a picked file named .gz that is not gzip', () => {
  it('is refused as "not-gzip" before anything is read, and a real gzip file of the same text imports', async () => {
    const engine = createEngine({ dbName: `not-gzip-${Math.random()}` });
    expect(await engine.importFile('members.csv.gz', new Blob(['this is not gzip\n']))).toEqual({ ok: false, error: 'not-gzip', detail: 'members.csv.gz' });
    expect(await engine.importFile('members.csv.gz', new Blob([]))).toMatchObject({ ok: false, error: 'not-gzip' });
    expect((await engine.status()).members).toBe(0);
    const real = await engine.importFile('members.csv.gz', new Blob([gzipSync(MEMBERS)]));
    expect(real.ok && [real.value.accepted, real.value.rejected]).toEqual([2, 0]);
  });
});
