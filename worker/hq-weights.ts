// The store's scorer weights from headquarters: headquarters fits them on every member of the store when it builds the
// store model (hq/model/build.ts), so an enrolled kiosk ranks with those instead of fitting its own on the first list
// after an import (worker/list-context.ts). Read from the public store model route with the kept ETag; kept in `meta`
// so they hold offline. A device that never got them (not enrolled, headquarters unreachable) fits on the device.
// The same answer carries the chain's campaigns (offers and their held-out control groups: nothing per member), which
// replace the device's, for the manager screen's campaign results.
import { err, ok, type Result } from '../core/result.ts';
import { parseStoreWeights, type StoreWeights } from '../protocol/packs.ts';
import { settle, type LarderDB } from './store.ts';
import type { Campaign } from '../core/types.ts';
import { getMeta, putMeta } from './meta.ts';

/** Why the weights were not refreshed (the kept ones, if any, stay in use). */
export type WeightsError = 'not-enrolled' | 'unreachable' | 'bad-model' | 'wrong-store';

/** Fetch the enrolled store's weights (304: the kept ones are current); `changed` when new weights were kept. */
export async function refreshStoreWeights(d: LarderDB, doFetch: typeof fetch): Promise<Result<{ weights: StoreWeights; changed: boolean }, WeightsError>> {
  const link = await getMeta(d, 'hq:link');
  if (!link) return err('not-enrolled', 'this device is not enrolled at headquarters');
  const [kept, campaignsOf] = await Promise.all([getMeta(d, 'hq:weights'), getMeta(d, 'hq:campaigns')]);
  // Kept weights whose model's campaigns are on the device too (weights kept before campaigns came along: fetch again).
  const current = kept?.storeId === link.storeId && campaignsOf === kept.etag ? kept : undefined;
  const base = link.baseUrl.endsWith('/') ? link.baseUrl : `${link.baseUrl}/`;
  let res: Response;
  try {
    res = await doFetch(new URL(`v1/stores/${encodeURIComponent(link.storeId)}/model`, base), { headers: current ? { 'if-none-match': current.etag } : {} });
  } catch (e) {
    return err('unreachable', e instanceof Error ? e.message : String(e));
  }
  if (res.status === 304 && current) return ok({ weights: current, changed: false });
  if (res.status !== 200) return err('unreachable', `HTTP ${res.status} for the store model`);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    return err('bad-model', 'the store model is not JSON');
  }
  const parsed = parseStoreWeights(body);
  if (!parsed.ok) return err('bad-model', `${parsed.error}${parsed.detail ? ` at ${parsed.detail}` : ''}`);
  if (parsed.value.storeId !== link.storeId) return err('wrong-store', `headquarters sent store ${parsed.value.storeId}'s model for ${link.storeId}`);
  const campaigns = (body as { campaigns?: unknown }).campaigns ?? [];
  if (!Array.isArray(campaigns) || !campaigns.every((c) => typeof c === 'object' && c !== null && typeof (c as { id?: unknown }).id === 'string')) {
    return err('bad-model', 'the store model has campaigns without an id');
  }
  const changed = current?.etag !== parsed.value.etag;
  if (changed) {
    const tx = d.transaction(['meta', 'campaigns'], 'readwrite');
    void putMeta(tx.objectStore('meta'), 'hq:weights', parsed.value);
    void putMeta(tx.objectStore('meta'), 'hq:campaigns', parsed.value.etag);
    void tx.objectStore('campaigns').clear();
    for (const c of campaigns as Campaign[]) void tx.objectStore('campaigns').put(c);
    await settle(tx);
  }
  return ok({ weights: parsed.value, changed });
}

/** The kept weights when they belong to the store this device is enrolled at. */
export async function keptStoreWeights(d: LarderDB): Promise<StoreWeights | undefined> {
  const [link, kept] = await Promise.all([getMeta(d, 'hq:link'), getMeta(d, 'hq:weights')]);
  return link && kept?.storeId === link.storeId ? kept : undefined;
}
