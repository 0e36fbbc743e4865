import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from './engine-api.ts';
import { generateDemoStore } from '../demo/demo-store.ts';
import { demoFeedFiles } from '../cli/generate.ts';
import { importDemoFeeds } from '../test/support/demo-feeds.ts';
import { parseDay } from '../core/dates.ts';
import { MUTE_DAYS } from '../core/lists/preferences.ts';

const END_DAY = parseDay('2026-06-30')!;
const store = generateDemoStore({ members: 120, seed: 7, endDate: '2026-06-30', days: 365 });
const files = demoFeedFiles(store);
let today = END_DAY + 1;
const engine = createEngine({ dbName: `prefs-test-${Math.random()}`, today: () => today });

/** Consenting members whose list is personalised, found by asking the engine. */
async function personalMembers(n: number): Promise<string[]> {
  const out: string[] = [];
  for (const m of store.members) {
    if (!m.consent.personalise) continue;
    const l = await engine.listFor(m.id);
    if (l.ok && l.value.personalised && l.value.items.length >= 6) out.push(m.id);
    if (out.length >= n) break;
  }
  return out;
}

describe('engine: shopper controls and variety memory', () => {
  let members: string[] = [];
  beforeAll(async () => {
    await importDemoFeeds(engine, files);
    members = await personalMembers(3);
    expect(members).toHaveLength(3);
  }, 60_000);

  it('"not for me" removes the item from the current list at once, keeps the list code, and refills the list', async () => {
    const id = members[0]!;
    const before = await engine.listFor(id);
    if (!before.ok) throw new Error(before.error);
    const victim = before.value.items[0]!.productId;
    const r = await engine.setItemControl(id, victim, 'not-for-me');
    expect(r.ok).toBe(true);
    const after = await engine.listFor(id);
    if (!after.ok) throw new Error(after.error);
    expect(after.value.items.map((i) => i.productId)).not.toContain(victim);
    expect(after.value.code).toBe(before.value.code);
    expect(after.value.items.length).toBeGreaterThanOrEqual(Math.min(20, before.value.items.length));
    expect((await engine.itemControls(id)).notForMe).toHaveProperty(victim);
    // The next fortnight's list does not bring it back either.
    const next = await engine.listFor(id, today + 14);
    expect(next.ok && next.value.items.map((i) => i.productId)).not.toContain(victim);
  });

  it('"mute" hides an item for a month, then it may come back; "clear" undoes it', async () => {
    const id = members[1]!;
    const before = await engine.listFor(id);
    if (!before.ok) throw new Error(before.error);
    const victim = before.value.items[1]!.productId;
    expect((await engine.setItemControl(id, victim, 'mute')).ok).toBe(true);
    const muted = await engine.listFor(id);
    expect(muted.ok && muted.value.items.map((i) => i.productId)).not.toContain(victim);
    expect((await engine.itemControls(id)).mutedUntil[victim]).toBe(today + MUTE_DAYS);
    today += MUTE_DAYS + 1;
    try {
      expect((await engine.itemControls(id)).mutedUntil).not.toHaveProperty(victim);
    } finally {
      today -= MUTE_DAYS + 1;
    }
    expect((await engine.setItemControl(id, victim, 'clear')).ok).toBe(true);
    expect(await engine.itemControls(id)).toEqual({ notForMe: {}, mutedUntil: {} });
    const back = await engine.listFor(id);
    expect(back.ok && back.value.items.map((i) => i.productId)).toContain(victim);
  });

  it('refuses unknown members and products', async () => {
    expect(await engine.setItemControl('NOBODY', store.products[0]!.id, 'mute')).toMatchObject({ ok: false, error: 'unknown-member' });
    expect(await engine.setItemControl(members[0]!, 'NO-SUCH-PRODUCT', 'mute')).toMatchObject({ ok: false, error: 'unknown-product' });
    expect(await engine.deleteMyHistory('NOBODY')).toMatchObject({ ok: false, error: 'unknown-member' });
  });

  it('rotates explore items over fortnightly lists', async () => {
    const id = members[2]!;
    const seen = new Set<string>();
    let slots = 0;
    for (let v = 0; v < 4; v++) {
      const l = await engine.listFor(id, today + 14 * v);
      if (!l.ok) throw new Error(l.error);
      for (const i of l.value.items.filter((x) => x.kind === 'explore' && x.reason.code === 'explore')) { seen.add(i.productId); slots++; }
    }
    expect(slots).toBeGreaterThan(0);
    expect(seen.size).toBeGreaterThan(slots / 2);
  });

  it('"delete my history" erases history, lists and controls but keeps the member and consent', async () => {
    const id = members[0]!;
    const r = await engine.deleteMyHistory(id);
    expect(r.ok && r.value.lists).toBeGreaterThan(0);
    expect(await engine.itemControls(id)).toEqual({ notForMe: {}, mutedUntil: {} });
    const card = store.members.find((m) => m.id === id)!.cardCode;
    expect(await engine.findMember(card)).toMatchObject({ ok: true, value: { id, personalise: true } });
    const l = await engine.listFor(id);
    expect(l.ok && l.value).toMatchObject({ personalised: false, basis: 'below-threshold' });
  });
});
