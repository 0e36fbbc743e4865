// Loading a generated demo store into an engine, in the order its feeds depend on each other: one helper for every
// test and bench that starts from a demo store.

/** The demo feed files, in import order: baskets name products and members, so those come first. */
export const DEMO_FEED_ORDER = ['products.csv', 'members.csv', 'deals.csv', 'content.json', 'baskets.csv'] as const;

/** What the helper needs of an engine (a local one or a Comlink remote). */
export interface FeedImporter {
  importText(name: string, text: string): Promise<{ ok: boolean; error?: unknown }>;
}

/** Import the demo feed files (`demoFeedFiles(store)`: name → text) into `engine`; throws on the first file the engine
 * refuses, naming it, so a test never runs on a half-loaded store. */
export async function importDemoFeeds(engine: FeedImporter, files: Record<string, string>): Promise<void> {
  for (const name of DEMO_FEED_ORDER) {
    const text = files[name];
    if (text === undefined) throw new Error(`the demo store has no ${name}`);
    const r = await engine.importText(name, text);
    if (!r.ok) throw new Error(`${name} was not imported: ${String(r.error)}`);
  }
}
