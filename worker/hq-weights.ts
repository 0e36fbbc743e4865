// The store's scorer weights from headquarters: headquarters fits them on every member of the store when it builds the
// store model (hq/model/build.ts), so an enrolled kiosk ranks with those instead of fitting its own on the first list
// after an import (worker/list-context.ts). Read from the public store model route with the kept ETag; kept in `meta`
// so they hold offline. A device that never got them (not enrolled, headquarters unreachable) fits on the device.
import { err, ok, type Result } from '../core/result.ts';
import { parseStoreWeights, type StoreWeights } from '../protocol/packs.ts';
import type { LarderDB } from './store.ts';
import { getMeta, putMeta } from './meta.ts';
import { getAtHq } from './hq-link.ts';

/** Why the weights were not refreshed (the kept ones, if any, stay in use). */
export type WeightsError = 'not-enrolled' | 'unreachable' | 'bad-model' | 'wrong-store';

/** Fetch the enrolled store's weights (304: the kept ones are current); `changed` when new weights were kept. */
export async function refreshStoreWeights(d: LarderDB, doFetch: typeof fetch): Promise<Result<{ weights: StoreWeights; changed: boolean }, WeightsError>> {
  const link = await getMeta(d, 'hq:link');
  if (!link) return err('not-enrolled', 'this device is not enrolled at headquarters');
  const kept = await getMeta(d, 'hq:weights');
  const current = kept?.storeId === link.storeId ? kept : undefined;
  // The store model is a public route: no device token.
  const answer = await getAtHq(doFetch, link, `/v1/stores/${encodeURIComponent(link.storeId)}/model`, current ? { 'if-none-match': current.etag } : {}, { token: false });
  if (!answer.ok) return err('unreachable', answer.detail);
  const res = answer.value;
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
  const changed = current?.etag !== parsed.value.etag;
  if (changed) await putMeta(d, 'hq:weights', parsed.value);
  return ok({ weights: parsed.value, changed });
}

/** The kept weights when they belong to the store this device is enrolled at. */
export async function keptStoreWeights(d: LarderDB): Promise<StoreWeights | undefined> {
  const [link, kept] = await Promise.all([getMeta(d, 'hq:link'), getMeta(d, 'hq:weights')]);
  return link && kept?.storeId === link.storeId ? kept : undefined;
}
