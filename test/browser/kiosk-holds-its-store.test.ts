/// <reference types="mocha" />
// DESIGN.md "Who holds what": an enrolled kiosk holds its own store's member packs and the store model, never another
// store's members. A kiosk of S01 (the real worker and IndexedDB, as the demo kiosk is once it has enrolled) syncs from
// the real `larder hq` that
// web-test-runner.config.mjs starts, seeded with a generated store whose members live at S01 and S02. Then every
// object store of the kiosk's database is read back: no S02 member's id, card code or first name is anywhere in it,
// while S01's members are there and their cards scan.
import { expect } from 'chai';
import { openDB } from 'idb';
import { getEngine } from '../../worker/api.ts';
import { serverCommand } from './harness.ts';
import { HQ_BASE, seededStore, type SeededStore } from './hq.ts';


/** Every text in a stored value: strings, numbers, object keys, and bytes read as text (a packed history). */
function texts(value: unknown, out: string[] = []): string[] {
  if (value === null || value === undefined) return out;
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') out.push(String(value));
  else if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    out.push(new TextDecoder('latin1').decode(bytes));
  } else if (value instanceof Map) for (const [k, v] of value) { texts(k, out); texts(v, out); }
  else if (value instanceof Set || Array.isArray(value)) for (const v of value) texts(v, out);
  else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) { out.push(k); texts(v, out); }
  return out;
}

/** The whole of an IndexedDB database as text, one entry per store: its keys and its values. */
async function dump(name: string): Promise<Record<string, string>> {
  const db = await openDB(name);
  try {
    const out: Record<string, string> = {};
    for (const store of db.objectStoreNames) {
      const [keys, values] = await Promise.all([db.getAllKeys(store), db.getAll(store)]);
      out[store] = [...texts(keys), ...texts(values)].join('\n');
    }
    return out;
  } finally {
    db.close();
  }
}

/** Whether `word` stands as a whole word in `text` (a card code among digits, an id among letters and digits). */
const containsWord = (text: string, word: string) => new RegExp(`(^|[^\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^\\p{L}\\p{N}]|$)`, 'u').test(text);

describe('a kiosk synced from headquarters', function () {
  this.timeout(120_000);
  let seeded: SeededStore;

  before(async () => {
    seeded = await seededStore();
  });

  it("holds its own store's members, and no id, card code or name of another store's member", async () => {
    const ours = seeded.members.filter((m) => m.homeStore === 'S01');
    const theirs = seeded.members.filter((m) => m.homeStore === 'S02');
    // The seed must hold members of both stores, or this test proves nothing.
    expect(ours.length, 'S01 members in the seed').to.be.greaterThan(0);
    expect(theirs.length, 'S02 members in the seed').to.be.greaterThan(0);

    const engine = getEngine();
    const name = `kiosk-holds-${Date.now()}`;
    await engine.useDatabase(name);
    const { code } = (await serverCommand('hq-enrolment-code', { storeId: 'S01' })) as { code: string };
    const enrolled = await engine.enrolDevice(HQ_BASE, code, { label: 'S01 kiosk (browser test)' });
    expect(enrolled, JSON.stringify(enrolled)).to.deep.include({ ok: true });
    const synced = await engine.syncFromHeadquarters();
    expect(synced.ok, JSON.stringify(synced)).to.equal(true);

    const stores = await dump(name);
    const all = Object.values(stores).join('\n');
    // One record per member pack: no store of raw members or histories.
    expect(Object.keys(stores)).to.include('packs');
    for (const gone of ['members', 'histories', 'prefs']) expect(Object.keys(stores)).to.not.include(gone);
    // The search finds a member the kiosk holds (so a leaked one would be found too): S01's ids and cards are there.
    for (const m of ours) {
      expect(containsWord(stores.packs ?? '', m.id), `S01 member ${m.id} on the kiosk`).to.equal(true);
      expect(containsWord(stores.packs ?? '', m.cardCode), `S01 card ${m.cardCode} on the kiosk`).to.equal(true);
      // A member who does not consent to personalisation: the pack holds their card and consent, none of their baskets.
      if (!m.personalise) for (const b of m.basketIds) expect(containsWord(all, b), `basket ${b} of ${m.id}, who does not consent`).to.equal(false);
    }
    const consenting = ours.filter((m) => m.personalise && m.basketIds.length);
    expect(consenting.length, 'S01 members with baskets who consent').to.be.greaterThan(0);
    expect(consenting.some((m) => m.basketIds.some((b) => containsWord(stores.packs ?? '', b))), 'S01 baskets on the kiosk').to.equal(true);
    const names = new Set(ours.map((m) => m.firstName));
    for (const m of theirs) {
      for (const [store, text] of Object.entries(stores)) {
        expect(containsWord(text, m.id), `S02 member ${m.id} in the kiosk's ${store}`).to.equal(false);
        expect(containsWord(text, m.cardCode), `S02 card ${m.cardCode} in the kiosk's ${store}`).to.equal(false);
        for (const b of m.basketIds) expect(containsWord(text, b), `S02 basket ${b} in the kiosk's ${store}`).to.equal(false);
      }
      // A first name an S01 member shares is there for that member; any other is not on the device at all.
      if (m.firstName && !names.has(m.firstName)) expect(containsWord(all, m.firstName), `S02 name ${m.firstName} on the kiosk`).to.equal(false);
    }
    expect(theirs.filter((m) => m.firstName && !names.has(m.firstName)).length, 'S02 first names no S01 member has').to.be.greaterThan(0);

    // S01's cards scan at this kiosk (the list shown for the right member); an S02 card is unknown here.
    const member = ours.find((m) => m.personalise) ?? ours[0]!;
    const scan = await engine.scanCard(member.cardCode);
    expect(scan.ok, JSON.stringify(scan).slice(0, 300)).to.equal(true);
    if (scan.ok) expect(scan.value.member.id).to.equal(member.id);
    expect(await engine.scanCard(theirs[0]!.cardCode)).to.deep.include({ ok: false, error: 'unknown-card' });
  });
});
