// `larder lists <data dir> --as-of yyyy-mm-dd [--json]`: a list for every eligible member from a folder of feed files,
// produced by the real engine (over an in-memory IndexedDB), one JSON list per line.
import 'fake-indexeddb/auto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createEngine } from '../worker/engine-api.ts';
import { feedFromName, FEED_KINDS } from '../core/feeds/index.ts';
import { parseDay, formatDay } from '../core/dates.ts';
import { parseArgs } from './args.ts';
import { readText } from './files.ts';

/** Run the command; exit 1 when a feed row was rejected, 2 on bad arguments or unreadable input. */
export async function run(args: string[]): Promise<number> {
  const a = parseArgs(args, ['as-of']);
  const dir = a.positionals[0];
  const asOf = parseDay(a.values.get('as-of') ?? '');
  if (!dir || asOf === undefined) {
    console.error('usage: larder lists <data dir> --as-of yyyy-mm-dd [--json]');
    return 2;
  }
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    console.error(`larder lists: cannot read ${dir}: ${(e as Error).message}`);
    return 2;
  }
  const feeds = names
    .map((name) => ({ name, feed: feedFromName(name) }))
    .filter((f): f is { name: string; feed: NonNullable<typeof f.feed> } => f.feed !== undefined)
    .sort((x, y) => FEED_KINDS.indexOf(x.feed.kind) - FEED_KINDS.indexOf(y.feed.kind));
  const engine = createEngine({ dbName: `larder-cli-${process.pid}` });
  let rejected = 0;
  for (const { name } of feeds) {
    const r = await engine.importText(name.replace(/\.gz$/, ''), await readText(join(dir, name)));
    if (r.ok) rejected += r.value.rejected;
    if (r.ok && r.value.rejected) console.error(`${name}: ${r.value.rejected} rows rejected (run larder validate for details)`);
  }
  const status = await engine.status();
  // The overnight batch (chunks of members read as key ranges, lists stored in packs), each list printed as it is made.
  let eligible = 0;
  await engine.listsFor(await engine.memberIds(), asOf, (l) => {
    eligible++;
    const out = {
      member_id: l.memberId, list_id: l.id, code: l.code, issued: formatDay(l.issuedDay), valid_until: formatDay(l.validUntilDay), personalised: l.personalised,
      items: l.items.map((i) => ({
        product_id: i.productId, name: i.name, kind: i.kind, due: i.dueDay === undefined ? null : formatDay(i.dueDay),
        shelf_price_cents: i.shelfPriceCents, price_cents: i.priceCents, reason: i.reason.text,
        ...(i.offer ? { offers: [{ deal_id: i.offer.dealId, saving_cents: i.offer.savingCents, reason: i.offer.reason.text }] } : { offers: [] }),
      })),
      coupons: l.coupons.map((c) => ({ value_cents: c.valueCents, reason: c.reason.text })),
      rewards: l.rewards.map((r) => ({ kind: r.kind, title: r.title, reason: r.reason.text })),
    };
    if (a.flags.has('json')) console.log(JSON.stringify(out));
    else console.log(`${l.memberId}  ${l.items.length} items  ${l.items.slice(0, 4).map((i) => i.name).join(', ')}${l.items.length > 4 ? ', …' : ''}`);
  });
  console.error(`${eligible} lists for ${status.members} members as of ${formatDay(asOf)}`);
  return rejected ? 1 : 0;
}
