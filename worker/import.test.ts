import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { importFeed, loadImportState } from './import.ts';
import { openStore, readAllHistories } from './store.ts';
import { feedFromName } from '../core/feeds/schemas.ts';
import { generateDemoStore } from '../core/demo-store.ts';
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
