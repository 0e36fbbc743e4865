import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from './engine-api.ts';
import { openStore } from './store.ts';
import { getMeta, putMeta } from './meta.ts';
import { keptStoreWeights, refreshStoreWeights } from './hq-weights.ts';
import { buildEngineModel } from './list-context.ts';
import { parseStoreWeights } from '../protocol/packs.ts';
import { SCORER_DEFAULTS, type ScorerParams } from '../core/lists/scorer-params.ts';
import { catalogueCsv, dealsCsv, importTexts, membersCsv } from '../hq/test-support/fixtures.ts';
import { inProcessHq, type InProcessHq } from '../test/support/hq-in-process.ts';
import { useMockServer } from '../test/mocks/node.ts';
import { generateDemoStore } from '../demo/demo-store.ts';
import { demoFeedFiles } from '../cli/generate.ts';
import { importDemoFeeds } from '../test/support/demo-feeds.ts';
import { parseDay } from '../core/dates.ts';
import { FEATURE_COUNT } from '../core/lists/calibrated.ts';

// Goal of issue 22, round two: a kiosk enrolled at headquarters ranks with the weights headquarters fitted on every
// member of its store (carried in the store model) and runs no fit of its own; without them it fits on the device.

const LINK = { baseUrl: 'http://hq.test/hq', deviceToken: 't', deviceId: 'D1', storeId: 'S01', enrolledAt: 0 };
const HQ_PARAMS: ScorerParams = { ...SCORER_DEFAULTS, alpha: 0.37, neighbours: 0, freqWeight: 0.41, repeatSlots: 2 };
const body = (storeId = 'S01', etag = 'e1', params: unknown = HQ_PARAMS) => ({ format: 'larder-store-model/1', storeId, etag, members: 300, scorer: { params, buyers: {} }, catalogue: {} });
const answer = (status: number, json?: unknown): typeof fetch => async () => new Response(json === undefined ? null : JSON.stringify(json), { status });

async function db(link = true) {
  const d = await openStore(`hq-weights-${Math.random()}`);
  if (link) await putMeta(d, 'hq:link', LINK);
  return d;
}

describe('parseStoreWeights', () => {
  it('reads the weights of a store model without decoding the rest, and refuses a body without them', () => {
    expect(parseStoreWeights(body())).toEqual({ ok: true, value: { storeId: 'S01', etag: 'e1', members: 300, params: HQ_PARAMS } });
    expect(parseStoreWeights({ ...body(), format: 'other' })).toMatchObject({ ok: false, error: 'bad-shape' });
    expect(parseStoreWeights(body('S01', 'e1', { ...HQ_PARAMS, repeatSlots: 7 }))).toMatchObject({ ok: false, error: 'bad-shape', detail: expect.stringContaining('repeatSlots') });
    // The calibrated blend's weights travel with the rest, one per feature, or the body is refused.
    const calibrated = { ...HQ_PARAMS, calibration: Array.from({ length: FEATURE_COUNT }, (_, i) => i / 10) };
    expect(parseStoreWeights(body('S01', 'e1', calibrated))).toMatchObject({ ok: true, value: { params: calibrated } });
    expect(parseStoreWeights(body('S01', 'e1', { ...calibrated, calibration: [1, 2] }))).toMatchObject({ ok: false, error: 'bad-shape', detail: expect.stringContaining('calibration') });
    expect(parseStoreWeights(body('S01', 'e1', { ...calibrated, calibration: calibrated.calibration.map(() => 'x') }))).toMatchObject({ ok: false, error: 'bad-shape' });
  });
});

describe('refreshStoreWeights', () => {
  it('keeps the enrolled store\'s weights, confirms them by ETag, and keeps them when headquarters is unreachable', async () => {
    const d = await db();
    const seen: (string | null)[] = [];
    const first = await refreshStoreWeights(d, async (url, init) => {
      expect(String(url)).toBe('http://hq.test/hq/v1/stores/S01/model');
      seen.push(new Headers(init?.headers).get('if-none-match'));
      return new Response(JSON.stringify(body()), { status: 200 });
    });
    expect(first).toMatchObject({ ok: true, value: { changed: true, weights: { etag: 'e1', params: HQ_PARAMS } } });
    const again = await refreshStoreWeights(d, async (_url, init) => {
      seen.push(new Headers(init?.headers).get('if-none-match'));
      return new Response(null, { status: 304 });
    });
    expect(again).toMatchObject({ ok: true, value: { changed: false } });
    expect(seen).toEqual([null, 'e1']);
    expect(await refreshStoreWeights(d, async () => { throw new TypeError('offline'); })).toMatchObject({ ok: false, error: 'unreachable', detail: 'offline' });
    expect((await keptStoreWeights(d))?.params).toEqual(HQ_PARAMS);
    d.close();
  });

  it('refuses a model of another store, a body that is not a store model, and a device that is not enrolled', async () => {
    const d = await db();
    expect(await refreshStoreWeights(d, answer(200, body('S02')))).toMatchObject({ ok: false, error: 'wrong-store' });
    expect(await refreshStoreWeights(d, answer(200, { hello: 1 }))).toMatchObject({ ok: false, error: 'bad-model' });
    expect(await refreshStoreWeights(d, answer(500))).toMatchObject({ ok: false, error: 'unreachable', detail: 'HTTP 500 for the store model' });
    expect(await getMeta(d, 'hq:weights')).toBeUndefined();
    const none = await db(false);
    expect(await refreshStoreWeights(none, answer(200, body()))).toMatchObject({ ok: false, error: 'not-enrolled' });
    d.close();
    none.close();
  });

  it('does not use weights kept for another store than the one the device is enrolled at', async () => {
    const d = await db();
    await putMeta(d, 'hq:weights', { storeId: 'S02', etag: 'x', members: 300, params: HQ_PARAMS });
    expect(await keptStoreWeights(d)).toBeUndefined();
    d.close();
  });
});

describe('the engine model', () => {
  const store = generateDemoStore({ members: 40, seed: 5, endDate: '2026-06-30', days: 60 });
  const TODAY = parseDay('2026-07-01')!;

  it('is built with headquarters\' weights when the device has them, else with weights of its own', async () => {
    const dbName = `hq-weights-engine-${Math.random()}`;
    await importDemoFeeds(createEngine({ dbName, today: () => TODAY }), demoFeedFiles(store));
    const d = await openStore(dbName);
    const catalogue = (await d.getAll('products')).sort((p, q) => p.idx - q.idx);
    const own = await buildEngineModel(d, catalogue, TODAY);
    expect(own.built.weights).toBe('device');
    expect(own.built.model.params).not.toEqual(HQ_PARAMS);
    await putMeta(d, 'hq:link', LINK);
    await putMeta(d, 'hq:weights', { storeId: 'S01', etag: 'e1', members: 300, params: HQ_PARAMS });
    const fromHq = await buildEngineModel(d, catalogue, TODAY);
    expect(fromHq.built.weights).toBe('headquarters');
    expect(fromHq.persisted.weights).toBe('headquarters');
    expect(fromHq.built.model.params).toEqual(HQ_PARAMS);
    d.close();
  }, 60_000);
});

describe('an enrolled kiosk', () => {
  const server = useMockServer();
  const BASE = 'http://hq.test/hq';
  const STORE = 'S07';
  let hq: InProcessHq;
  beforeAll(async () => {
    hq = await inProcessHq(BASE);
    await importTexts(hq.db, { 'products.csv': catalogueCsv(), 'members.csv': membersCsv(['E1', 'E2'], [STORE]), 'deals.csv': dealsCsv() });
  }, 60_000);
  afterAll(async () => { await hq?.close(); });

  it('takes the scorer weights of its store\'s model at its sync, and its lists are ranked with them', async () => {
    server.use(hq.handler);
    const dbName = `hq-weights-kiosk-${Math.random()}`;
    const engine = createEngine({ dbName });
    const enrolled = await engine.enrolDevice(BASE, await hq.enrolmentCode(STORE));
    expect(enrolled.ok).toBe(true);
    expect((await engine.syncFromHeadquarters()).ok).toBe(true);
    const model = await hq.json(hq.request('GET', `/v1/stores/${STORE}/model`));
    expect(model.status).toBe(200);
    const served = (model.body as { scorer: { params: ScorerParams }; etag: string });
    const d = await openStore(dbName);
    expect(await getMeta(d, 'hq:weights')).toMatchObject({ storeId: STORE, etag: served.etag, params: served.scorer.params });
    d.close();
    expect((await engine.listFor('E1')).ok).toBe(true);
    const after = await openStore(dbName);
    const persisted = await getMeta(after, 'storeModel');
    after.close();
    expect(persisted?.weights).toBe('headquarters');
    expect(persisted?.model.params).toEqual({ ...SCORER_DEFAULTS, ...served.scorer.params });
    expect(hq.seen.some((r) => r.path === `/v1/stores/${STORE}/model` && r.status === 200)).toBe(true);
  }, 60_000);
});
