import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { importFeed, loadImportState } from './import.ts';
import { openStore } from './store.ts';
import { readAllHistories } from './packs.ts';
import { feedFromName } from '../core/feeds/schemas.ts';
import { generateDemoStore } from '../demo/demo-store.ts';
import { demoFeedFiles } from '../cli/generate.ts';

const store = generateDemoStore({ members: 12, seed: 9, endDate: '2026-06-30', days: 60 });
const files = demoFeedFiles(store);

async function* pieces(parts: readonly string[]) {
  for (const p of parts) yield p;
}

/** Import the store's feeds; the baskets file arrives in `parts` and commits every `batchRows` rows. */
async function imported(parts: readonly string[], batchRows?: number) {
  const db = await openStore(`import-${Math.random()}`);
  for (const name of ['products.csv', 'members.csv', 'baskets.csv']) {
    const feed = feedFromName(name)!;
    await importFeed(db, await loadImportState(db), { name, ...feed }, pieces(name === 'baskets.csv' ? parts : [files[name]!]), undefined, name === 'baskets.csv' && batchRows ? { batchRows } : {});
  }
  const histories = (await readAllHistories(db)).map((h) => [h.memberId, h.basketIds.length, h.products.length]);
  db.close();
  return histories;
}

describe('basket import in small batches', () => {
  it('keeps every line of a basket that arrives one line per chunk, whatever the batch size', async () => {
    const whole = await imported([files['baskets.csv']!]);
    expect(store.baskets.some((b) => b.lines.length > 3)).toBe(true);
    const oneLineChunks = files['baskets.csv']!.split(/(?<=\n)/);
    for (const batchRows of [1, 2, 5]) expect(await imported(oneLineChunks, batchRows)).toEqual(whole);
  });
});

describe('a feed file as the manager picks it', () => {
  it('imports a gzipped file as the same feed uncompressed, and names the feed by the name inside', async () => {
    const { gzipSync } = await import('node:zlib');
    const { createEngine } = await import('./engine-api.ts');
    const plain = createEngine({ dbName: `file-plain-${Math.random()}` });
    const packed = createEngine({ dbName: `file-gz-${Math.random()}` });
    for (const name of ['products.csv', 'members.csv', 'baskets.csv']) {
      const a = await plain.importFile(name, new Blob([files[name]!]));
      const b = await packed.importFile(`${name}.gz`, new Blob([gzipSync(files[name]!)]));
      if (!a.ok || !b.ok) throw new Error('not a feed');
      expect([b.value.kind, b.value.accepted, b.value.rejected]).toEqual([a.value.kind, a.value.accepted, a.value.rejected]);
      expect(a.value.accepted).toBeGreaterThan(0);
    }
    expect(await packed.status()).toEqual(await plain.status());
    expect((await packed.importFile('notes.txt.gz', new Blob(['x']))).ok).toBe(false);
  });
});
