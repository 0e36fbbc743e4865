// Small builders for test stores, written as the DESIGN.md feed files (CSV), served by MSW or imported directly.

export interface TestProduct { id: string; name: string; category: string; brand?: string; brandType?: 'national' | 'store'; priceCents: number; tags?: string[] }
export interface TestMember { id: string; card: string; consent?: boolean; firstName?: string }
export interface TestBasket { id: string; member: string; date: string; products: string[]; priceCents?: number }

/** A product row. */
export const aProduct = (id: string, name: string, priceCents: number, category = 'dairy/milk', extra: Partial<TestProduct> = {}): TestProduct =>
  ({ id, name, category, priceCents, ...extra });

/** Baskets for a member who buys `products` every `every` days from `start` (yyyy-mm-dd) for `times` trips. */
export function aRhythm(member: string, products: string[], every: number, start: string, times: number, prefix = `${member}-`): TestBasket[] {
  const t0 = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: times }, (_, i) => ({
    id: `${prefix}${i}`, member, products,
    date: new Date(t0 + i * every * 86_400_000).toISOString().slice(0, 10),
  }));
}

/** The feed files of a test store, name → text. */
export function storeFiles(s: { products: TestProduct[]; members: TestMember[]; baskets: TestBasket[]; endDate: string }): Record<string, string> {
  return {
    'manifest.json': JSON.stringify({ endDate: s.endDate, files: ['products.csv', 'members.csv', 'baskets.csv'] }),
    'products.csv': ['product_id,name,category,brand,brand_type,price_cents,tags',
      ...s.products.map((p) => `${p.id},${p.name},${p.category},${p.brand ?? 'Acme'},${p.brandType ?? 'national'},${p.priceCents},${(p.tags ?? []).join(';')}`)].join('\n'),
    'members.csv': ['member_id,card_code,consent_personalise,first_name',
      ...s.members.map((m) => `${m.id},${m.card},${m.consent ?? true},${m.firstName ?? ''}`)].join('\n'),
    'baskets.csv': ['basket_id,member_id,date,product_id,qty,unit_price_cents',
      ...s.baskets.flatMap((b) => b.products.map((p) => `${b.id},${b.member},${b.date},${p},1,${b.priceCents ?? 3000}`))].join('\n'),
  };
}
