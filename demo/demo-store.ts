// Seeded generator of a realistic demo store: catalogue, members with rhythms, pets, babies, brand loyalty, deals,
// campaigns, content and two years of baskets. Pure: the same seed gives the same store.
import type { Basket, BasketLine, BrandType, Campaign, Content, Deal, Member, Product } from '../core/types.ts';
import { hashString, normal, pick, randInt, seededRandom, type Random } from '../core/random.ts';
import { parseDay } from '../core/dates.ts';
import { toEan13 } from '../core/ean.ts';
import { inHoldout } from '../core/lists/campaigns.ts';

/** What to generate. */
export interface DemoOptions {
  members: number;
  seed: number;
  /** Last day of trading, yyyy-mm-dd; history covers `days` before it. */
  endDate: string;
  days: number;
}

/** The generated store, in domain types. */
export interface DemoStore {
  products: Product[];
  members: Member[];
  deals: Deal[];
  campaigns: Campaign[];
  content: Content[];
  baskets: Basket[];
}

export const DEFAULT_DEMO: DemoOptions = { members: 1500, seed: 42, endDate: '2026-11-22', days: 730 };

interface CategorySpec {
  path: string;
  noun: string;
  national: string[];
  store: number; // store-brand products
  priceCents: number;
  intervalDays: number; // typical household repurchase interval
  reach: number; // share of households that buy the category at all
  tags?: string[];
  needs?: 'dog' | 'cat' | 'baby';
  sizes?: string[];
}

const STORE_BRAND = 'Larder Own';

// Typical intervals and reach loosely follow grocery panel norms (milk weekly, detergent monthly, …).
const CATEGORIES: CategorySpec[] = [
  { path: 'dairy/milk', noun: 'Whole Milk', national: ['Meadowvale', 'Alpen Farm'], store: 1, priceCents: 189, intervalDays: 6, reach: 0.85, sizes: ['2 L'] },
  { path: 'dairy/yogurt', noun: 'Greek Yogurt', national: ['Olympia', 'Skyr North'], store: 1, priceCents: 349, intervalDays: 9, reach: 0.5, sizes: ['500 g'] },
  { path: 'dairy/cheese', noun: 'Cheddar', national: ['Cheddar Vale', 'Kerrygold Hills'], store: 1, priceCents: 499, intervalDays: 14, reach: 0.6, sizes: ['400 g'] },
  { path: 'dairy/eggs', noun: 'Free-Range Eggs', national: ['Happy Hen'], store: 1, priceCents: 329, intervalDays: 10, reach: 0.7, sizes: ['12 pack'] },
  { path: 'bakery/bread', noun: 'Sourdough Loaf', national: ['Baker Street', 'Hovis Mill'], store: 1, priceCents: 299, intervalDays: 5, reach: 0.8 },
  { path: 'produce/vegetables', noun: 'Broccoli', national: ['Green Acres'], store: 1, priceCents: 149, intervalDays: 7, reach: 0.55, tags: ['vegetable'], sizes: ['500 g'] },
  { path: 'produce/vegetables', noun: 'Carrots', national: ['Green Acres'], store: 1, priceCents: 99, intervalDays: 8, reach: 0.55, tags: ['vegetable'], sizes: ['1 kg'] },
  { path: 'produce/vegetables', noun: 'Baby Spinach', national: ['Leafy Co'], store: 1, priceCents: 249, intervalDays: 7, reach: 0.4, tags: ['vegetable'], sizes: ['200 g'] },
  { path: 'produce/vegetables', noun: 'Tomatoes', national: ['Sun Valley'], store: 1, priceCents: 279, intervalDays: 6, reach: 0.6, tags: ['vegetable'], sizes: ['500 g'] },
  { path: 'produce/fruit', noun: 'Bananas', national: ['Chiquita Bay'], store: 1, priceCents: 159, intervalDays: 5, reach: 0.75, tags: ['fruit'], sizes: ['1 kg'] },
  { path: 'produce/fruit', noun: 'Apples', national: ['Orchard Gold'], store: 1, priceCents: 299, intervalDays: 8, reach: 0.6, tags: ['fruit'], sizes: ['1 kg'] },
  { path: 'meat/chicken', noun: 'Chicken Breast', national: ['Farmhouse'], store: 1, priceCents: 699, intervalDays: 8, reach: 0.6, sizes: ['600 g'] },
  { path: 'meat/beef', noun: 'Minced Beef', national: ['Highland'], store: 1, priceCents: 599, intervalDays: 10, reach: 0.5, sizes: ['500 g'] },
  { path: 'pantry/coffee', noun: 'Ground Coffee', national: ['Café Roma', 'Kenya Peak'], store: 1, priceCents: 649, intervalDays: 12, reach: 0.6, sizes: ['250 g'] },
  { path: 'pantry/tea', noun: 'Breakfast Tea', national: ['Twinings Hall'], store: 1, priceCents: 399, intervalDays: 24, reach: 0.4, sizes: ['80 bags'] },
  { path: 'pantry/pasta', noun: 'Spaghetti', national: ['Barilla Nova', 'De Cecco Oro'], store: 1, priceCents: 179, intervalDays: 14, reach: 0.6, sizes: ['500 g'] },
  { path: 'pantry/sauce', noun: 'Tomato Pasta Sauce', national: ['Dolmio Casa'], store: 1, priceCents: 289, intervalDays: 16, reach: 0.45, sizes: ['500 g'] },
  { path: 'pantry/cereal', noun: 'Corn Flakes', national: ['Kellman', 'Nature Crunch'], store: 1, priceCents: 379, intervalDays: 12, reach: 0.5, sizes: ['500 g'] },
  { path: 'pantry/rice', noun: 'Basmati Rice', national: ['Tilda Fields'], store: 1, priceCents: 349, intervalDays: 25, reach: 0.4, sizes: ['1 kg'] },
  { path: 'beverages/soda', noun: 'Cola', national: ['Fizz Cola', 'Cola Royal'], store: 1, priceCents: 229, intervalDays: 8, reach: 0.45, sizes: ['2 L'] },
  { path: 'beverages/juice', noun: 'Orange Juice', national: ['Tropicana Sun'], store: 1, priceCents: 329, intervalDays: 9, reach: 0.45, sizes: ['1 L'] },
  { path: 'snacks/chips', noun: 'Sea Salt Crisps', national: ['Crunchers', 'Kettle Co'], store: 1, priceCents: 199, intervalDays: 10, reach: 0.5, sizes: ['150 g'] },
  { path: 'frozen/pizza', noun: 'Margherita Pizza', national: ['Dr. Oven'], store: 1, priceCents: 399, intervalDays: 14, reach: 0.35 },
  { path: 'household/detergent', noun: 'Laundry Liquid', national: ['Persil Pro', 'Ariel Max'], store: 1, priceCents: 899, intervalDays: 30, reach: 0.6, sizes: ['1.5 L'] },
  { path: 'household/paper', noun: 'Toilet Tissue', national: ['Andrex Soft'], store: 1, priceCents: 599, intervalDays: 21, reach: 0.75, sizes: ['9 rolls'] },
  { path: 'household/dish', noun: 'Dishwasher Tablets', national: ['Finish Line'], store: 1, priceCents: 749, intervalDays: 35, reach: 0.45, sizes: ['40 tabs'] },
  { path: 'personal/toothpaste', noun: 'Toothpaste', national: ['Colgate Bright', 'Sensodent'], store: 1, priceCents: 249, intervalDays: 30, reach: 0.6 },
  { path: 'personal/shampoo', noun: 'Shampoo', national: ['Head Start', 'Pantene Silk'], store: 1, priceCents: 449, intervalDays: 40, reach: 0.5 },
  { path: 'health/analgesics', noun: 'Paracetamol 500 mg', national: ['Panadol Max', 'Nurofen Plus'], store: 1, priceCents: 399, intervalDays: 45, reach: 0.35, sizes: ['32 tablets'] },
  { path: 'baby/nappies', noun: 'Nappies Size 4', national: ['Pampers Dry', 'Huggies Soft'], store: 1, priceCents: 1099, intervalDays: 9, reach: 0.95, tags: ['baby'], needs: 'baby', sizes: ['44 pack'] },
  { path: 'baby/food', noun: 'Baby Food Pouch', national: ['Ella\'s Garden', 'Heinz Little'], store: 1, priceCents: 129, intervalDays: 5, reach: 0.9, tags: ['baby'], needs: 'baby' },
  { path: 'baby/wipes', noun: 'Baby Wipes', national: ['Pampers Dry'], store: 1, priceCents: 249, intervalDays: 12, reach: 0.8, tags: ['baby'], needs: 'baby', sizes: ['64 wipes'] },
  { path: 'pet/dog-food', noun: 'Dog Food Chicken', national: ['Pedigree Pal', 'Bakers Best'], store: 1, priceCents: 1249, intervalDays: 14, reach: 0.95, tags: ['pet', 'dog'], needs: 'dog', sizes: ['3 kg'] },
  { path: 'pet/dog-treats', noun: 'Dog Chews', national: ['Dentastix Co'], store: 1, priceCents: 399, intervalDays: 18, reach: 0.6, tags: ['pet', 'dog'], needs: 'dog' },
  { path: 'pet/cat-food', noun: 'Cat Food Salmon', national: ['Whiskas Prime', 'Felix Fine'], store: 1, priceCents: 549, intervalDays: 9, reach: 0.95, tags: ['pet', 'cat'], needs: 'cat', sizes: ['12 × 100 g'] },
  { path: 'pet/cat-litter', noun: 'Cat Litter', national: ['Catsan Fresh'], store: 1, priceCents: 699, intervalDays: 21, reach: 0.8, tags: ['pet', 'cat'], needs: 'cat', sizes: ['10 L'] },
];

const FIRST_NAMES = ['Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Mateo', 'Sofia', 'Lucas', 'Mia', 'Ethan', 'Wei', 'Mei', 'Jun',
  'Aisha', 'Omar', 'Chloe', 'Hannah', 'Jack', 'Grace', 'Leo', 'Ines', 'Tomás', 'Priya', 'Arjun', 'Zoe', 'Ben', 'Lena', 'Yuki', 'Sara', 'Finn'];

/** Spec of a product, kept beside the catalogue while simulating. */
interface Sim {
  product: Product;
  spec: CategorySpec;
  popularity: number;
}

function buildCatalogue(rnd: Random): Sim[] {
  const sims: Sim[] = [];
  let n = 0;
  for (const spec of CATEGORIES) {
    const brands: { brand: string; type: BrandType }[] = [
      ...spec.national.map((brand) => ({ brand, type: 'national' as const })),
      ...Array.from({ length: spec.store }, () => ({ brand: STORE_BRAND, type: 'store' as const })),
    ];
    for (const { brand, type } of brands) {
      n++;
      // Shelf prices of a city supermarket (the table holds base prices); the store brand sits ~28% below.
      const base = spec.priceCents * 1.6;
      const price = type === 'store' ? Math.round(base * 0.72) : Math.round(base * (0.95 + rnd() * 0.25));
      const size = spec.sizes?.[0];
      sims.push({
        spec,
        popularity: type === 'store' ? 0.8 : 1,
        product: {
          id: `P${String(n).padStart(5, '0')}`,
          name: `${brand} ${spec.noun}`,
          category: spec.path,
          brand,
          brandType: type,
          priceCents: price - (price % 10) + 9,
          ...(size ? { size } : {}),
          tags: spec.tags ?? [],
        },
      });
    }
  }
  return sims;
}

/** A member's plan: which products they buy, how often, and how they shop. */
interface Plan {
  member: Member;
  tripEveryDays: number;
  startDay: number;
  stopDay: number; // churned members stop early
  staples: { sim: number[]; intervalDays: number; nextDay: number; qty: number }[];
  preferredWeekday: number;
  hour: number;
  loyalty: 'national' | 'store' | 'switcher';
}

function planMember(rnd: Random, index: number, sims: Sim[], firstDay: number, lastDay: number): Plan {
  const id = `M${String(index + 1).padStart(6, '0')}`;
  const household = pick(rnd, [1, 1, 2, 2, 2, 3, 3, 4, 4, 5]);
  const age = randInt(rnd, 19, 82);
  const hasBaby = household >= 3 && age < 45 && rnd() < 0.45;
  const hasDog = rnd() < 0.22;
  const hasCat = rnd() < 0.18;
  const veg = rnd() < 0.45;
  const loyalty = rnd() < 0.45 ? 'national' : rnd() < 0.55 ? 'store' : 'switcher';
  const joined = rnd() < 0.85 ? firstDay - randInt(rnd, 0, 900) : randInt(rnd, firstDay, lastDay - 20);
  const startDay = Math.max(firstDay, joined);
  // Churned members stop early, but never after the data's last day (one who joined in its last 60 days stops at it).
  const stopDay = rnd() < 0.1 ? Math.min(lastDay, randInt(rnd, startDay + 60, lastDay)) : lastDay;
  const tripEveryDays = Math.max(2, Math.min(21, Math.round(4 + Math.abs(normal(rnd)) * 4 + 6 / household)));
  const staples: Plan['staples'] = [];
  const byCategory = new Map<string, number[]>();
  sims.forEach((s, i) => {
    const key = `${s.spec.path}|${s.spec.noun}`;
    byCategory.set(key, [...(byCategory.get(key) ?? []), i]);
  });
  for (const [, group] of byCategory) {
    const spec = sims[group[0]!]!.spec;
    if (spec.needs === 'baby' && !hasBaby) continue;
    if (spec.needs === 'dog' && !hasDog) continue;
    if (spec.needs === 'cat' && !hasCat) continue;
    const reach = spec.tags?.includes('vegetable') ? (veg ? 0.95 : 0.2) : spec.reach;
    if (rnd() > reach * 0.8) continue;
    const national = group.filter((i) => sims[i]!.product.brandType === 'national');
    const store = group.filter((i) => sims[i]!.product.brandType === 'store');
    const choice =
      loyalty === 'national' && national.length ? [pick(rnd, national)]
      : loyalty === 'store' && store.length ? [pick(rnd, store)]
      : group;
    const sizeFactor = spec.needs ? 1 : Math.max(0.5, 2.4 / (household + 0.4));
    const intervalDays = Math.max(2, Math.round(spec.intervalDays * sizeFactor * Math.exp(normal(rnd) * 0.25)));
    staples.push({ sim: choice, intervalDays, nextDay: startDay + randInt(rnd, 0, intervalDays), qty: household >= 4 && rnd() < 0.4 ? 2 : 1 });
  }
  const member: Member = {
    id,
    cardCode: toEan13(`2${String(hashString(id) % 100).padStart(2, '0')}${String(index + 1).padStart(9, '0')}`),
    consent: { personalise: rnd() < 0.92, contact: rnd() < 0.6, atDay: startDay },
    firstName: pick(rnd, FIRST_NAMES),
    birthYear: 2026 - age,
    gender: pick(rnd, ['f', 'm', 'f', 'm', 'x']),
    householdSize: household,
    homeStore: pick(rnd, ['S01', 'S01', 'S02']),
    joinedDay: joined,
  };
  return {
    member,
    tripEveryDays,
    startDay,
    stopDay,
    staples,
    preferredWeekday: randInt(rnd, 0, 6),
    hour: pick(rnd, [9, 10, 11, 12, 16, 17, 17, 18, 18, 19, 20]),
    loyalty,
  };
}

function buildDeals(sims: Sim[], endDay: number): Deal[] {
  const find = (category: string, type: BrandType) => sims.find((s) => s.product.category === category && s.product.brandType === type)!.product;
  const nationalDog = find('pet/dog-food', 'national');
  return [
    { id: 'D-ANALGESIC-STORE', scopeType: 'product', scope: find('health/analgesics', 'store').id, kind: 'percent', value: 25, startDay: endDay - 20, endDay: endDay + 30, funder: 'store', perMemberLimit: 2 },
    { id: 'D-DOGFOOD-MFR', scopeType: 'product', scope: nationalDog.id, kind: 'amount', value: 200, startDay: endDay - 10, endDay: endDay + 40, funder: nationalDog.brand, budgetCents: 150_000, perMemberLimit: 1 },
    { id: 'D-YOGURT-MULTI', scopeType: 'category', scope: 'dairy/yogurt', kind: 'multibuy', value: 3, startDay: endDay - 7, endDay: endDay + 21, funder: 'store', perMemberLimit: 6 },
    { id: 'D-NAPPIES-PRICE', scopeType: 'category', scope: 'baby/nappies', kind: 'price', value: 899, startDay: endDay - 14, endDay: endDay + 28, funder: 'store', perMemberLimit: 2 },
    { id: 'D-VEG-10', scopeType: 'category', scope: 'produce/vegetables', kind: 'percent', value: 10, startDay: endDay - 3, endDay: endDay + 14, funder: 'store' },
    { id: 'D-COFFEE-MFR', scopeType: 'brand', scope: 'Café Roma', kind: 'amount', value: 100, startDay: endDay - 5, endDay: endDay + 25, funder: 'Café Roma', budgetCents: 80_000, perMemberLimit: 2 },
    { id: 'D-CATFOOD-MFR', scopeType: 'category', scope: 'pet/cat-food', kind: 'percent', value: 15, startDay: endDay - 5, endDay: endDay + 25, funder: 'Whiskas Prime', budgetCents: 60_000, perMemberLimit: 2 },
  ];
}

function buildCampaigns(endDay: number): Campaign[] {
  return [
    { id: 'C-ANALGESIC-SWITCH', name: 'Try our own-brand pain relief', category: 'health/analgesics', goal: 'to-store-brand',
      segments: ['national-high', 'national-mid', 'switcher-high'], offerByTier: { low: 20, mid: 30, high: 40 }, funder: 'store',
      budgetCents: 200_000, startDay: endDay - 14, endDay: endDay + 42, holdoutShare: 0.1 },
    { id: 'C-COFFEE-GROW', name: 'Coffee lovers', category: 'pantry/coffee', goal: 'grow-category',
      segments: ['switcher-low', 'switcher-mid', 'store-low', 'national-low'], offerByTier: { low: 15, mid: 15, high: 15 }, funder: 'store',
      budgetCents: 100_000, startDay: endDay - 7, endDay: endDay + 28, holdoutShare: 0.1 },
  ];
}

/** Chance per trip that a member who was offered a running campaign buys one more unit of its product. */
const CAMPAIGN_RESPONSE = 0.12;

/** A simulated campaign response, so the manager screen's uplift has something true to find: on each trip during a
 * campaign, a member outside its holdout sometimes adds one unit of the campaign's store-brand product. Held-out
 * members never do. Draws come from a hash of campaign + basket, so the main stream (and every other basket) stays
 * as it was. Everyone outside the holdout responds, targeted or not; the measurement only counts targeted members. */
function plantCampaignEffect(baskets: Basket[], campaigns: readonly Campaign[], sims: Sim[], endDay: number): void {
  for (const c of campaigns) {
    const product = sims.filter((s) => s.product.category === c.category && s.product.brandType === 'store')
      .sort((a, b) => a.product.priceCents - b.product.priceCents)[0]?.product;
    if (!product) continue;
    for (const b of baskets) {
      if (b.day < c.startDay || b.day > Math.min(c.endDay, endDay) || inHoldout(b.memberId, c.id, c.holdoutShare)) continue;
      if (seededRandom(hashString(`${c.id}|${b.id}`))() >= CAMPAIGN_RESPONSE) continue;
      const line = b.lines.find((l) => l.productId === product.id);
      if (line) line.qty += 1;
      else b.lines.push({ productId: product.id, qty: 1, unitPriceCents: product.priceCents, discountCents: 0 });
    }
  }
}

function buildContent(sims: Sim[]): Content[] {
  const id = (category: string) => sims.filter((s) => s.product.category === category).map((s) => s.product.id);
  return [
    { id: 'R-BOLOGNESE', kind: 'recipe', title: 'Weeknight spaghetti bolognese', body: 'Brown the mince, add sauce and tomatoes, simmer 20 minutes, serve over spaghetti.', titleZh: '家常意式肉酱面', bodyZh: '肉末炒香，加入酱汁和番茄，小火炖 20 分钟，浇在意面上。', categories: ['pantry/pasta', 'pantry/sauce', 'meat/beef'], productIds: [...id('pantry/pasta'), ...id('pantry/sauce'), ...id('meat/beef')] },
    { id: 'R-STIRFRY', kind: 'recipe', title: 'Chicken & broccoli stir-fry', body: 'Slice chicken, stir-fry with broccoli and carrots, serve with basmati rice.', titleZh: '西兰花炒鸡肉', bodyZh: '鸡肉切片，与西兰花和胡萝卜同炒，配印度香米饭。', categories: ['meat/chicken', 'produce/vegetables', 'pantry/rice'] },
    { id: 'R-OMELETTE', kind: 'recipe', title: 'Spinach & cheddar omelette', body: 'Whisk three eggs, wilt spinach, fold in grated cheddar.', titleZh: '菠菜切达奶酪煎蛋卷', bodyZh: '打散三个鸡蛋，菠菜炒软，卷入切达奶酪碎。', categories: ['dairy/eggs', 'produce/vegetables', 'dairy/cheese'] },
    { id: 'M-FAMILY-WEEK', kind: 'meal-plan', title: 'A week of family dinners under $60', body: 'Five dinners and two lunches built from what families buy most.', titleZh: '60 美元以内的一周家庭晚餐', bodyZh: '五顿晚餐和两顿午餐，用家庭最常买的食材做成。', categories: ['baby', 'meat', 'pantry'] },
    { id: 'T-DOG-DENTAL', kind: 'tip', title: 'Dental care for dogs', body: 'A daily chew helps keep your dog\'s teeth clean between vet visits.', titleZh: '狗狗的牙齿护理', bodyZh: '每天一根洁齿棒，有助于在两次看兽医之间保持狗狗牙齿清洁。', categories: ['pet/dog-food', 'pet/dog-treats'] },
    { id: 'T-CAT-HYDRATION', kind: 'tip', title: 'Keep your cat hydrated', body: 'Wet food adds water to your cat\'s diet; keep fresh water near the bowl.', titleZh: '让猫咪多喝水', bodyZh: '湿粮能为猫咪补充水分；在食盆旁放一碗清水。', categories: ['pet/cat-food'] },
    { id: 'N-VEG-5', kind: 'nutrition', title: 'Five a day, made easy', body: 'Frozen and fresh vegetables count alike; aim for a rainbow across the week.', titleZh: '每天五份蔬果，轻松做到', bodyZh: '冷冻蔬菜和新鲜蔬菜一样算数；一周吃遍各种颜色。', categories: ['produce'] },
    { id: 'S-EXPRESS', kind: 'service', title: 'Express lane for our best members', body: 'Use the express lane whatever the size of your basket.', titleZh: '会员专享快速通道', bodyZh: '无论购物篮大小，都可以使用快速通道。', categories: [] },
    { id: 'S-DELIVERY', kind: 'service', title: 'Free home delivery', body: 'Free delivery on your next online order over $50.', titleZh: '免费送货上门', bodyZh: '下一笔满 50 美元的网上订单免费送货。', categories: [] },
  ];
}

/** Generate the whole demo store. */
export function generateDemoStore(options: Partial<DemoOptions> = {}): DemoStore {
  const opts = { ...DEFAULT_DEMO, ...options };
  const rnd = seededRandom(opts.seed);
  const endDay = parseDay(opts.endDate);
  if (endDay === undefined) throw new Error(`generateDemoStore: bad endDate ${opts.endDate}`);
  const firstDay = endDay - opts.days + 1;
  const sims = buildCatalogue(rnd);
  const plans = Array.from({ length: opts.members }, (_, i) => planMember(rnd, i, sims, firstDay, endDay));
  const baskets: Basket[] = [];
  let basketNo = 0;
  for (const plan of plans) {
    let day = plan.startDay + randInt(rnd, 0, plan.tripEveryDays);
    while (day <= plan.stopDay) {
      const lines: BasketLine[] = [];
      for (const staple of plan.staples) {
        if (day < staple.nextDay) continue;
        const simIndex = staple.sim.length === 1 ? staple.sim[0]! : pick(rnd, staple.sim);
        const product = sims[simIndex]!.product;
        lines.push({ productId: product.id, qty: staple.qty, unitPriceCents: product.priceCents, discountCents: 0 });
        staple.nextDay = day + Math.max(1, Math.round(staple.intervalDays * Math.exp(normal(rnd) * 0.2)));
      }
      const impulses = rnd() < 0.6 ? randInt(rnd, 1, 2) : 0;
      for (let k = 0; k < impulses; k++) {
        const sim = sims[Math.floor(rnd() * sims.length)]!;
        if (sim.spec.needs || lines.some((l) => l.productId === sim.product.id)) continue;
        lines.push({ productId: sim.product.id, qty: 1, unitPriceCents: sim.product.priceCents, discountCents: 0 });
      }
      if (lines.length) {
        const minute = Math.min(1439, plan.hour * 60 + randInt(rnd, -50, 50) + (((day + 3) % 7) >= 5 ? -120 : 0));
        baskets.push({ id: `B${String(++basketNo).padStart(8, '0')}`, memberId: plan.member.id, storeId: plan.member.homeStore!, day, minute: Math.max(420, minute), lines });
      }
      // The gap to the next trip varies around the member's rhythm.
      const jitter = Math.round(normal(rnd) * 1.2);
      day += Math.max(1, plan.tripEveryDays + jitter);
    }
  }
  const campaigns = buildCampaigns(endDay);
  plantCampaignEffect(baskets, campaigns, sims, endDay);
  baskets.sort((a, b) => a.day - b.day || (a.minute ?? 0) - (b.minute ?? 0));
  return {
    products: sims.map((s) => s.product),
    members: plans.map((p) => p.member),
    deals: buildDeals(sims, endDay),
    campaigns,
    content: buildContent(sims),
    baskets,
  };
}
