import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createEngine } from './engine-api.ts';
import { openStore } from './store.ts';
import { readAllHistories } from './packs.ts';
import { generateDemoStore } from '../demo/demo-store.ts';
import { demoFeedFiles } from '../cli/generate.ts';
import { importDemoFeeds } from '../test/support/demo-feeds.ts';
import { parseDay } from '../core/dates.ts';
import { tripsOf } from '../core/history.ts';
import { ENGINE_FIT, fitStoreModel, MIN_FIT_MEMBERS } from '../core/lists/fit.ts';
import { SCORER_DEFAULTS, type ScorerParams } from '../core/lists/next-basket.ts';
import { hashString } from '../core/random.ts';

// Goal of issue 22: the engine ranks with weights fitted on its own store (each member's latest basket held out), by
// the same function `larder eval` measures, and keeps them in the persisted store model in `meta`.
const store = generateDemoStore({ members: MIN_FIT_MEMBERS + 40, seed: 11, endDate: '2026-06-30', days: 120 });
const TODAY = parseDay('2026-07-01')!;

describe('the engine fits its store\'s scorer weights', () => {
  it('persists the weights fitStoreModel chooses on the stored histories, not the defaults', async () => {
    const dbName = `list-fit-${Math.random()}`;
    const engine = createEngine({ dbName, today: () => TODAY });
    await importDemoFeeds(engine, demoFeedFiles(store));
    const ids = await engine.memberIds();
    expect((await engine.listFor(ids[0]!, TODAY)).ok).toBe(true);
    const d = await openStore(dbName);
    const persisted = (await d.get('meta', 'storeModel')) as { model: { params: ScorerParams } } | undefined;
    const catalogue = (await d.getAll('products')).sort((p, q) => p.idx - q.idx);
    const histories = await readAllHistories(d);
    d.close();
    const itemCategory = Int32Array.from(catalogue, (p) => hashString(p.category) & 0x7fffffff);
    const { model, fit } = fitStoreModel(histories.map(tripsOf), { itemCount: catalogue.length, itemCategory, unit: 'days', ...ENGINE_FIT });
    expect(fit).toBeDefined();
    expect(persisted?.model.params).toEqual(model.params);
    expect(persisted?.model.params).not.toEqual(SCORER_DEFAULTS);
  }, 120_000);
});
