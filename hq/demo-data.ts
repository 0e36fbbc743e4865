// `--demo`: the seeded demo store (demo/demo-store.ts) loaded into headquarters once, with the demo's PIN.
import { generateDemoStore, type DemoStore } from '../demo/demo-store.ts';
import { demoFeedFiles } from '../cli/generate.ts';
import { feedFromName } from '../core/feeds/index.ts';
import type { Db } from './db/db.ts';
import { importFeeds } from './import.ts';
import { setPin } from './pin.ts';
import { importCampaigns } from './campaigns.ts';

/** The demo store's id and manager PIN (only ever set with --demo). */
export const DEMO_STORE = 'S01';
export const DEMO_PIN = '1234';

/** Load the demo store unless a load has finished before. Campaigns go in last, so a database with campaigns holds the
 * whole demo; a load that was interrupted (products in, campaigns not) runs again — importing is idempotent, so the
 * rows already in change nothing and the rest is added. */
export async function loadDemo(db: Db, store: () => DemoStore = generateDemoStore): Promise<boolean> {
  // The demo PIN first: a demo data folder whose first load was interrupted still opens the demo kiosk's manager screen.
  const pins = await db.query('SELECT 1 FROM store_pins WHERE store_id = $1', [DEMO_STORE]);
  if (!pins.length) await setPin(db, DEMO_STORE, DEMO_PIN, new Date());
  if ((await db.query('SELECT 1 FROM campaigns LIMIT 1')).length) return false;
  const files = demoFeedFiles(store());
  const inputs = Object.entries(files).flatMap(([name, text]) => {
    const feed = feedFromName(name);
    return feed ? [{ file: name, ...feed, chunks: async function* () { yield text; } }] : [];
  });
  await importFeeds(db, inputs, { now: () => new Date() });
  await importCampaigns(db, files['campaigns.json'] ?? '[]');
  return true;
}

/** The demo's "today": the day after the demo store's last trading day in the feeds (till baskets the demo kiosks
 * send back are left out, so the day does not move as the demo is used). Undefined while headquarters holds no feed
 * basket of the demo store. */
export async function demoToday(db: Db): Promise<number | undefined> {
  const [row] = await db.query<{ last: number | null }>("SELECT max(day) AS last FROM baskets WHERE source = 'feed' AND store_id = $1", [DEMO_STORE]);
  return row?.last === null || row?.last === undefined ? undefined : Number(row.last) + 1;
}
