// Loading a store's feeds once per page, with progress every element can show: which feed is being read and how many
// of the store's lines are in, against the total the manifest announces (`counts`, written by `larder generate`).
import type { FeedKind } from '../core/feeds/schemas.ts';
import type { callback as Callback, getEngine as GetEngine } from '../worker/bridge.ts';

/** The page's bridge to the engine, handed in by the element (a static import here would split it out of the widget's
 * entry into a chunk of its own). */
export interface Bridge { callback: typeof Callback; getEngine: typeof GetEngine }

/** Where a feed import stands, for the loading text. */
export interface FeedProgress {
  /** The feed being read now. */
  kind: FeedKind;
  /** Lines of the store read so far, every file counted. */
  lines: number;
  /** Lines the store has in all (the manifest's counts), when it says. */
  total?: number;
}

type Listener = (p: FeedProgress) => void;

/** One import per feed folder for the whole page (every element asking shares it, and hears its progress). */
const imports = new Map<string, { job: Promise<void>; listeners: Set<Listener> }>();

/** Lines the manifest at `url` announces (products + members + basket lines), or undefined when it does not say. */
async function announcedLines(url: string): Promise<number | undefined> {
  try {
    const res = await fetch(new URL('manifest.json', url.endsWith('/') ? url : `${url}/`));
    const counts = ((await res.json()) as { counts?: Record<string, unknown> }).counts;
    const parts = [counts?.products, counts?.members, counts?.lines].map(Number);
    return parts.every((n) => Number.isFinite(n) && n >= 0) ? parts.reduce((a, b) => a + b, 0) : undefined;
  } catch {
    return undefined; // the total is a nicety: the import itself says whether the feeds are there
  }
}

/** Load the feed folder at `url` (absolute) into the device, once per page; `onProgress` hears how far it is.
 * Resolves when the feeds are in; throws when they fail. */
export function loadFeedsOnce({ callback, getEngine }: Bridge, url: string, onProgress?: Listener): Promise<void> {
  let entry = imports.get(url);
  if (!entry) {
    const listeners = new Set<Listener>();
    let total: Promise<number | undefined> | undefined;
    let known: number | undefined;
    const doneBefore = new Map<string, number>(); // rows of each file, as last reported
    const report = callback((p: { file: string; kind: FeedKind; rows: number }) => {
      // Deals and content are small and not in the manifest's counts: their rows would push past the total.
      if (p.kind === 'products' || p.kind === 'members' || p.kind === 'baskets') doneBefore.set(p.file, p.rows);
      total ??= announcedLines(url).then((n) => (known = n));
      const lines = [...doneBefore.values()].reduce((a, b) => a + b, 0);
      const progress: FeedProgress = { kind: p.kind, lines, ...(known ? { total: known } : {}) };
      for (const l of listeners) l(progress);
    });
    const job = getEngine().loadDemo(url, report).then((r) => {
      if (!r.ok) throw new Error(r.error);
    });
    entry = { job, listeners };
    imports.set(url, entry);
    // A failed import may be tried again (the element's retry button); a finished one is skipped by the engine anyway.
    job.catch(() => imports.delete(url));
  }
  if (onProgress) entry.listeners.add(onProgress);
  const { job, listeners } = entry;
  return job.finally(() => { if (onProgress) listeners.delete(onProgress); });
}
