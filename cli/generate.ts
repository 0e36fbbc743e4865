// `larder generate`: write the seeded demo store as feed files (the DESIGN.md feed formats) for the demo and benchmarks.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Papa from 'papaparse';
import { DEFAULT_DEMO, generateDemoStore, type DemoStore } from '../demo/demo-store.ts';
import { formatDay } from '../core/dates.ts';
import { parseArgs } from './args.ts';

const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** The demo store as feed files: name → text. */
export function demoFeedFiles(store: DemoStore): Record<string, string> {
  const csv = (rows: object[]) => Papa.unparse(rows, { newline: '\n' }) + '\n';
  return {
    'products.csv': csv(store.products.map((p) => ({
      product_id: p.id, name: p.name, category: p.category, brand: p.brand, brand_type: p.brandType,
      price_cents: p.priceCents, size: p.size ?? '', unit: p.unit ?? '', tags: p.tags.join(';'),
    }))),
    'members.csv': csv(store.members.map((m) => ({
      member_id: m.id, card_code: m.cardCode, consent_personalise: m.consent.personalise, consent_contact: m.consent.contact,
      first_name: m.firstName ?? '', birth_year: m.birthYear ?? '', gender: m.gender ?? '', household_size: m.householdSize ?? '',
      home_store: m.homeStore ?? '', joined: m.joinedDay === undefined ? '' : formatDay(m.joinedDay),
    }))),
    'deals.csv': csv(store.deals.map((d) => ({
      deal_id: d.id, scope_type: d.scopeType, scope: d.scope, kind: d.kind, value: d.value, start: formatDay(d.startDay),
      end: formatDay(d.endDay), funder: d.funder, budget_cents: d.budgetCents ?? '', per_member_limit: d.perMemberLimit ?? '',
      segments: (d.segments ?? []).join(';'),
    }))),
    'baskets.csv': csv(store.baskets.flatMap((b) => b.lines.map((l) => ({
      basket_id: b.id, member_id: b.memberId, date: b.minute === undefined ? formatDay(b.day) : `${formatDay(b.day)}T${hhmm(b.minute)}`,
      product_id: l.productId, qty: l.qty, unit_price_cents: l.unitPriceCents, discount_cents: l.discountCents, store_id: b.storeId ?? '',
    })))),
    'content.json': JSON.stringify(store.content.map((c) => ({
      id: c.id, kind: c.kind, title: c.title, body: c.body, categories: c.categories, ...(c.productIds ? { product_ids: c.productIds } : {}),
      ...(c.titleZh ? { title_zh: c.titleZh } : {}), ...(c.bodyZh ? { body_zh: c.bodyZh } : {}),
    })), null, 1),
    'campaigns.json': JSON.stringify(store.campaigns, null, 1),
  };
}

/** Run `larder generate --out <dir> [--members N] [--seed S] [--end yyyy-mm-dd] [--days D]`. */
export async function run(args: string[]): Promise<number> {
  const a = parseArgs(args, ['out', 'members', 'seed', 'end', 'days', 'stores', 'weeks', 'db', 'data']);
  if (a.flags.has('chain')) return (await import('./generate-chain.ts')).run(a);
  const out = a.values.get('out');
  if (!out) {
    console.error('usage: larder generate --out <dir> [--members N] [--seed S] [--end yyyy-mm-dd] [--days D]');
    return 2;
  }
  const store = generateDemoStore({
    members: Number(a.values.get('members') ?? DEFAULT_DEMO.members),
    seed: Number(a.values.get('seed') ?? DEFAULT_DEMO.seed),
    endDate: a.values.get('end') ?? DEFAULT_DEMO.endDate,
    days: Number(a.values.get('days') ?? DEFAULT_DEMO.days),
  });
  await mkdir(out, { recursive: true });
  const files = demoFeedFiles(store);
  for (const [name, text] of Object.entries(files)) {
    // Basket lines are the bulk: ship them gzipped, the page inflates them with DecompressionStream.
    if (name === 'baskets.csv') await writeFile(join(out, 'baskets.csv.gz'), gzipSync(text, { level: 6 }));
    else await writeFile(join(out, name), text);
  }
  const lines = store.baskets.reduce((n, b) => n + b.lines.length, 0);
  await writeFile(join(out, 'manifest.json'), JSON.stringify({
    seed: a.values.get('seed') ?? DEFAULT_DEMO.seed, endDate: a.values.get('end') ?? DEFAULT_DEMO.endDate,
    files: ['products.csv', 'members.csv', 'deals.csv', 'content.json', 'campaigns.json', 'baskets.csv.gz'],
    counts: { products: store.products.length, members: store.members.length, baskets: store.baskets.length, lines },
  }, null, 1));
  console.error(`wrote ${out}: ${store.products.length} products, ${store.members.length} members, ${store.baskets.length} baskets, ${lines} lines`);
  return 0;
}
