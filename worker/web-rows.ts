// "Often bought together" on a retailer's page, from the store model's rules: a chunk of its own (only pages with
// that row load it).
import type { DeviceStoreModel } from '../protocol/packs.ts';
import type { WebTogetherRow } from './engine/web.ts';

/** Products often bought with the product at catalogue index `item`, strongest rule first, one row per product (as
 * core/insights/rules.ts rulesFor). */
export function boughtTogether(model: DeviceStoreModel, item: number, limit: number): WebTogetherRow[] {
  const catalogue = model.catalogue;
  const rules = model.rules.filter((r) => r.lhs.includes(item) && r.rhs !== item)
    .sort((p, q) => q.lift - p.lift || q.confidence - p.confidence || q.support - p.support);
  const seen = new Set<number>();
  const rows: WebTogetherRow[] = [];
  for (const r of rules) {
    if (seen.has(r.rhs) || rows.length >= limit) continue;
    seen.add(r.rhs);
    const p = catalogue[r.rhs]!;
    rows.push({ productId: p.id, name: p.name, priceCents: p.priceCents });
  }
  return rows;
}
