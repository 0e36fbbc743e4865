// `larder lists <data dir> --as-of yyyy-mm-dd [--locale en|zh-CN] [--json]`: a list for every eligible member from a
// folder of feed files, produced by the real engine (over an in-memory IndexedDB), one JSON list per line, each reason
// rendered in the locale's words.
import 'fake-indexeddb/auto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createEngine } from '../worker/engine-api.ts';
import { feedFromName, FEED_KINDS } from '../core/feeds/index.ts';
import { parseDay, formatDay } from '../core/dates.ts';
import { parseArgs } from './args.ts';
import { readText } from './files.ts';
import { reasonText } from '../i18n/reasons.ts';
import { contentTitle } from '../i18n/content.ts';
import type { Locale } from '../i18n/translation.ts';

const LOCALES: readonly Locale[] = ['en', 'zh-CN'];

/** Run the command; exit 1 when a feed row was rejected, 2 on bad arguments or unreadable input. */
export async function run(args: string[]): Promise<number> {
  const a = parseArgs(args, ['as-of', 'locale']);
  const dir = a.positionals[0];
  const asOf = parseDay(a.values.get('as-of') ?? '');
  const locale = LOCALES.find((l) => l === (a.values.get('locale') ?? 'en'));
  if (!dir || asOf === undefined || !locale) {
    console.error('usage: larder lists <data dir> --as-of yyyy-mm-dd [--locale en|zh-CN] [--json]');
    return 2;
  }
  const say = (r: Parameters<typeof reasonText>[0]) => reasonText(r, locale);
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
        shelf_price_cents: i.shelfPriceCents, price_cents: i.priceCents, reason: say(i.reason),
        ...(i.offer ? { offers: [{ deal_id: i.offer.dealId, saving_cents: i.offer.savingCents, reason: say(i.offer.reason) }] } : { offers: [] }),
      })),
      coupons: l.coupons.map((c) => ({ value_cents: c.valueCents, reason: say(c.reason) })),
      rewards: l.rewards.map((r) => ({ kind: r.kind, title: contentTitle(r, locale), reason: say(r.reason) })),
    };
    if (a.flags.has('json')) console.log(JSON.stringify(out));
    else console.log(`${l.memberId}  ${l.items.length} items  ${l.items.slice(0, 4).map((i) => i.name).join(', ')}${l.items.length > 4 ? ', …' : ''}`);
  });
  console.error(`${eligible} lists for ${status.members} members as of ${formatDay(asOf)}`);
  return rejected ? 1 : 0;
}
