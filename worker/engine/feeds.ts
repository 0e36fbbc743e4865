// The feeds room: feed files into the store — a store's folder of demo feeds, a file the manager picked, a text.
// Parsing and validating stay in this worker (worker/import.ts, loaded on first use with papaparse).
import { err, ok, type Result } from '../../core/result.ts';
import { parseDay } from '../../core/dates.ts';
import { feedFromName } from '../../core/feeds/schemas.ts';
import { putMeta, getMeta } from '../meta.ts';
import { bodyChunks } from '../stream.ts';
import type { ImportProgress, ImportSummary } from '../import.ts';
import { holdsStore } from '../hq-link.ts';
import { importer, type EngineContext } from './context.ts';

/** Why a folder of feeds was not loaded; `device-has-store`: this device is enrolled at (or synced from) a store's
 * headquarters, whose data a folder must not be mixed into. */
export type LoadError = 'network' | 'bad-manifest' | 'bad-campaigns' | 'device-has-store';

/** The feeds room's methods. */
export function feedsRoom(ctx: EngineContext) {
  /** Import one feed file's text into the store, its kind and format from its name (`.gz` allowed); `size`, when
   * known, makes the progress a fraction. */
  async function importOne(name: string, size: number | undefined, chunks: AsyncIterable<string>, onProgress?: (p: ImportProgress) => void): Promise<Result<ImportSummary, 'unknown-feed' | 'device-has-store'>> {
    const feed = feedFromName(name);
    if (!feed) return err('unknown-feed', name);
    // A kiosk synced from headquarters holds its store as headquarters built it (model and packs): a file picked here
    // would mix another source into it. Its feeds are imported at headquarters.
    if (await getMeta(await ctx.db(), 'hq:storeModel')) return err('device-has-store', name);
    const summary = await (await importer()).importFeed(await ctx.db(), await ctx.importState(), { name, ...feed, ...(size === undefined ? {} : { size }) }, chunks, onProgress);
    ctx.invalidate();
    return ok(summary);
  }

  /** Fetch the manifest's feed files and import them (skipped when this folder was loaded before). */
  async function loadFeeds(baseUrl: string, onProgress?: (p: ImportProgress) => void): Promise<Result<ImportSummary[], LoadError>> {
    const d = await ctx.db();
    if ((await getMeta(d, 'demoLoaded')) === baseUrl) return ok([]);
    // A device belongs to one store: a folder of feeds never merges into the data headquarters gave it.
    const store = await holdsStore(d);
    if (store) return err('device-has-store', store);
    const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
    let manifest: { files: string[]; endDate: string };
    try {
      const res = await ctx.doFetch(`${base}manifest.json`);
      if (!res.ok) return err('network', `manifest: HTTP ${res.status}`);
      manifest = await res.json();
    } catch (e) {
      return err('network', String(e));
    }
    const end = parseDay(manifest.endDate ?? '');
    if (!Array.isArray(manifest.files) || end === undefined) return err('bad-manifest');
    const summaries: ImportSummary[] = [];
    for (const name of manifest.files) {
      const res = await ctx.doFetch(base + name).catch(() => undefined);
      if (!res?.ok) return err('network', `${name}: ${res ? `HTTP ${res.status}` : 'failed'}`);
      if (name === 'campaigns.json') {
        const { parseCampaigns } = await import('../../protocol/campaigns.ts'); // with valibot: not in the start bundle
        const campaigns = parseCampaigns(await res.json().catch(() => undefined));
        if (!campaigns.ok) return err('bad-campaigns', campaigns.detail);
        await (await importer()).importCampaigns(d, campaigns.value);
        continue;
      }
      const gzip = name.endsWith('.gz');
      const feed = feedFromName(name);
      if (!feed) continue;
      const size = Number(res.headers.get('content-length') ?? 0) || undefined;
      summaries.push(await (await importer()).importFeed(d, await ctx.importState(), { name, ...feed, ...(size && !gzip ? { size } : {}) }, bodyChunks(res), onProgress));
    }
    await putMeta(d, 'clockDay', end + 1);
    await putMeta(d, 'demoLoaded', baseUrl);
    ctx.invalidate();
    return ok(summaries);
  }

  const loading = new Map<string, Promise<Result<ImportSummary[], LoadError>>>();
  return {
    /** Load a store's feed files from `baseUrl` (a folder with manifest.json) into the device, once. */
    async loadDemo(baseUrl: string, onProgress?: (p: ImportProgress) => void): Promise<Result<ImportSummary[], LoadError>> {
      // Several elements on one page ask for the same feeds at once: one import serves them all.
      const running = loading.get(baseUrl);
      if (running) return running;
      const job = loadFeeds(baseUrl, onProgress).finally(() => loading.delete(baseUrl));
      loading.set(baseUrl, job);
      return job;
    },

    /** Import one feed file given as text (the CLI's sibling, tests). */
    async importText(name: string, text: string, onProgress?: (p: ImportProgress) => void): Promise<Result<ImportSummary, 'unknown-feed' | 'device-has-store'>> {
      async function* once() { yield text; }
      return importOne(name, text.length, once(), onProgress);
    },

    /** Import one feed file as the manager picked it (a File or Blob, read as a stream, not into memory at once); a
     * gzip file (`baskets.csv.gz`) is inflated on the way, recognised by its first bytes. */
    async importFile(name: string, file: Blob, onProgress?: (p: ImportProgress) => void): Promise<Result<ImportSummary, 'unknown-feed' | 'not-gzip' | 'device-has-store'>> {
      if (await (await importer()).notGzip(name, file)) return err('not-gzip', name);
      return importOne(name, name.endsWith('.gz') ? undefined : file.size, bodyChunks(new Response(file)), onProgress);
    },
  };
}
