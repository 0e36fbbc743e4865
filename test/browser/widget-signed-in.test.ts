/// <reference types="mocha" />
// The widget on a retailer's page signs in at headquarters (the real `larder hq` web-test-runner.config.mjs starts,
// seeded with a generated store of 40 members): what reaches the browser is the store model and the signed-in
// member's own pack, nothing of anyone else; no token, an expired, forged or unknown member's token → the store-wide
// list and nothing of a member kept on the device; sign-out forgets the pack (read back from IndexedDB).
import { expect } from 'chai';
import { openDB } from 'idb';
import '../../widget/index.ts';
import type { LarderShoppingList } from '../../widget/larder-shopping-list.ts';
import type { LarderRecommendations } from '../../widget/larder-recommendations.ts';
import { getEngine } from '../../worker/api.ts';
import { mount, serverCommand, settled, until } from './harness.ts';
import { seededStore, type SeededStore } from './hq.ts';

interface Recorded { path: string; status: number; body: string }

const token = async (memberId: string, how: { expired?: boolean; forged?: boolean } = {}) =>
  ((await serverCommand('hq-member-token', { memberId, ...how })) as { token: string }).token;

/** The pack records the device keeps (the engine's web database beside its default `larder`). */
async function storedPacks(): Promise<{ memberId: string }[]> {
  const db = await openDB('larder-web');
  try {
    return db.objectStoreNames.contains('pack') ? ((await db.getAll('pack')) as { memberId: string }[]) : [];
  } finally {
    db.close();
  }
}

/** The store page's elements (as index.html has them), signed in with `auth`. */
function storePage(storeId: string, auth: { token?: string; provider?: () => Promise<string | undefined> }): { list: LarderShoppingList; rows: LarderRecommendations[] } {
  const attrs = { hq: '/hq/', store: storeId, 'as-of': '2026-11-23' };
  const list = mount('larder-shopping-list', { ...attrs, limit: '10', ...(auth.token ? { token: auth.token } : {}) });
  const buyAgain = mount('larder-recommendations', { ...attrs, kind: 'buy-again', ...(auth.token ? { token: auth.token } : {}) });
  const together = mount('larder-recommendations', { ...attrs, kind: 'bought-together', product: 'P00001' });
  if (auth.provider) list.tokenProvider = buyAgain.tokenProvider = auth.provider;
  return { list, rows: [buyAgain, together] };
}

const sessionOf = (el: LarderShoppingList) => until(() => el.session, 'the session');

/** The words of `text`, for whole-word search (a card code is a word of digits, a basket id one of letters and digits). */
const containsWord = (text: string, word: string) => new RegExp(`(^|[^A-Za-z0-9])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9]|$)`).test(text);

describe('the widget signed in at headquarters', function () {
  this.timeout(120_000);
  let seeded: SeededStore;

  before(async () => {
    seeded = await seededStore();
    await getEngine().webSignOut();
  });
  afterEach(async () => {
    document.querySelectorAll('larder-shopping-list, larder-recommendations').forEach((el) => el.remove());
    await getEngine().webSignOut();
  });

  it('receives the store model and the signed-in member\'s own pack, and no other member\'s id, card code, first name or basket', async () => {
    const me = seeded.members.find((m) => m.personalise && m.basketIds.length >= 8)!;
    expect(me, 'a consenting member with baskets').to.exist;
    await serverCommand('hq-record-start', {});
    const signedIn = token(me.id); // as the store page: one sign-in, its token handed to every element
    const { list, rows } = storePage(seeded.storeId, { provider: () => signedIn });
    const root = await settled(list, 'the list');
    for (const row of rows) await settled(row, 'a row');
    const answers = (await serverCommand('hq-record-take', {})) as Recorded[];

    expect(list.session).to.deep.include({ state: 'signed-in' });
    expect((list.session as { member: { id: string } }).member.id).to.equal(me.id);
    expect(root.querySelectorAll('li').length).to.be.greaterThan(0);
    // What came: the model and the member's own pack (each once: the list and its row share one fetch).
    const paths = answers.map((a) => a.path.split('?')[0]);
    expect(paths).to.include(`/v1/stores/${seeded.storeId}/model`);
    expect(paths.filter((p) => p === '/v1/members/me/pack')).to.have.length(1);
    const all = answers.map((a) => a.body).join('\n');
    // The check can fail: the member's own id, card and baskets are there.
    expect(containsWord(all, me.id)).to.equal(true);
    expect(containsWord(all, me.cardCode)).to.equal(true);
    expect(me.basketIds.some((b) => containsWord(all, b))).to.equal(true);
    const leaks: string[] = [];
    for (const other of seeded.members) {
      if (other.id === me.id) continue;
      if (containsWord(all, other.id)) leaks.push(`id ${other.id}`);
      if (containsWord(all, other.cardCode)) leaks.push(`card of ${other.id}`);
      if (other.firstName && other.firstName !== me.firstName && containsWord(all, other.firstName)) leaks.push(`first name of ${other.id} (${other.firstName})`);
      for (const b of other.basketIds) if (!me.basketIds.includes(b) && containsWord(all, b)) leaks.push(`basket ${b} of ${other.id}`);
    }
    expect(leaks).to.deep.equal([]);
    expect((await storedPacks()).map((p) => p.memberId)).to.deep.equal([me.id]);
  });

  it('without a token shows the store-wide list, keeps no pack, and a member id typed into `member` grants nothing', async () => {
    const someone = seeded.members.find((m) => m.personalise)!;
    await serverCommand('hq-record-start', {});
    const list = mount('larder-shopping-list', { hq: '/hq/', store: seeded.storeId, member: someone.id, 'as-of': '2026-11-23' });
    const root = await settled(list, 'the list');
    const answers = (await serverCommand('hq-record-take', {})) as Recorded[];
    expect(await sessionOf(list)).to.deep.equal({ state: 'signed-out' });
    expect(root.querySelector('[part=note]')!.textContent).to.contain('Sign in to see your own list');
    expect(root.querySelectorAll('li').length).to.be.greaterThan(0); // this week's store-wide list
    expect(root.querySelector('[part=not-for-me-button]')).to.equal(null);
    expect(answers.map((a) => a.path)).to.deep.equal([`/v1/stores/${seeded.storeId}/model`]);
    expect(answers.some((a) => containsWord(a.body, someone.id) || containsWord(a.body, someone.cardCode))).to.equal(false);
    expect(await storedPacks()).to.deep.equal([]);
  });

  for (const [what, make, reason] of [
    ['an expired token', (id: string) => token(id, { expired: true }), 'expired'],
    ['a forged token', (id: string) => token(id, { forged: true }), 'invalid'],
    ['a token that is not a JWT', async () => 'not-a-token', 'invalid'],
    ['a token of a member headquarters does not know', () => token('M-NOBODY'), 'unknown-member'],
  ] as const) {
    it(`refuses ${what}: the store-wide list, a sign-in-again line, and the pack kept before is forgotten`, async () => {
      const me = seeded.members.find((m) => m.personalise && m.basketIds.length >= 8)!;
      // Signed in first, so there is a pack to forget.
      const before = mount('larder-shopping-list', { hq: '/hq/', store: seeded.storeId, token: await token(me.id), 'as-of': '2026-11-23' });
      await settled(before, 'the signed-in list');
      expect((await storedPacks()).map((p) => p.memberId)).to.deep.equal([me.id]);
      before.remove();
      await serverCommand('hq-record-start', {});
      const list = mount('larder-shopping-list', { hq: '/hq/', store: seeded.storeId, token: await make(me.id), 'as-of': '2026-11-23' });
      const root = await settled(list, 'the list');
      const answers = (await serverCommand('hq-record-take', {})) as Recorded[];
      expect(await sessionOf(list)).to.deep.equal({ state: 'refused', reason });
      const pack = answers.find((a) => a.path === '/v1/members/me/pack')!;
      expect([401, 404]).to.include(pack.status);
      expect(containsWord(pack.body, me.cardCode)).to.equal(false);
      expect(root.querySelector('[part=note][role=alert]')!.textContent).to.contain('sign in again');
      expect(root.querySelectorAll('li').length).to.be.greaterThan(0);
      expect(await storedPacks()).to.deep.equal([]);
    });
  }

  it('another member signing in replaces the pack; signing out forgets it (IndexedDB read back)', async () => {
    const [a, b] = seeded.members.filter((m) => m.personalise && m.basketIds.length >= 8);
    const list = mount('larder-shopping-list', { hq: '/hq/', store: seeded.storeId, token: await token(a!.id), 'as-of': '2026-11-23' });
    await settled(list, 'the list');
    expect((await storedPacks()).map((p) => p.memberId)).to.deep.equal([a!.id]);

    list.token = await token(b!.id);
    await until(() => list.session?.state === 'signed-in' && list.session.member.id === b!.id, 'member b signed in');
    expect((await storedPacks()).map((p) => p.memberId)).to.deep.equal([b!.id]);

    list.token = '';
    await until(() => list.session?.state === 'signed-out', 'signed out');
    expect(await storedPacks()).to.deep.equal([]);
    const root = await settled(list, 'the list');
    expect(root.querySelector('[part=note]')!.textContent).to.contain('Sign in to see your own list');
  });

  it('"Not for me" on the signed-in list takes the item out of the list and the buy-again row at once', async () => {
    const me = seeded.members.find((m) => m.personalise && m.basketIds.length >= 8)!;
    const signedIn = token(me.id);
    const { list, rows } = storePage(seeded.storeId, { provider: () => signedIn });
    const root = await settled(list, 'the list');
    await settled(rows[0]!, 'the buy-again row');
    /** An item's name without its offer badge. */
    const nameOf = (n: Element) => [...n.childNodes].filter((c) => c.nodeType === Node.TEXT_NODE).map((c) => c.textContent).join('').trim();
    const first = nameOf(root.querySelector('li .name')!);
    expect(first).to.not.equal('');
    root.querySelector<HTMLButtonElement>('li [part=not-for-me-button]')!.click();
    await until(() => root.querySelector('[part=undo]')?.textContent?.includes(first), 'the undo line');
    await until(() => ![...root.querySelectorAll('li .name')].some((n) => nameOf(n) === first), 'the item gone from the list');
    const cards = () => [...rows[0]!.shadowRoot!.querySelectorAll('[part=card] .name')].map((n) => n.textContent!.trim());
    await until(() => !cards().includes(first), 'the card gone from the row');
  });

  it('a return visit confirms the kept model and pack by ETag (304) instead of downloading them again', async () => {
    const me = seeded.members.find((m) => m.personalise && m.basketIds.length >= 8)!;
    const t = await token(me.id);
    const first = mount('larder-shopping-list', { hq: '/hq/', store: seeded.storeId, token: t, 'as-of': '2026-11-23' });
    await settled(first, 'the list');
    first.remove();
    await serverCommand('hq-record-start', {});
    const again = mount('larder-shopping-list', { hq: '/hq/', store: seeded.storeId, token: t, 'as-of': '2026-11-24' });
    await settled(again, 'the list again');
    const answers = (await serverCommand('hq-record-take', {})) as Recorded[];
    expect(answers.map((a) => [a.path, a.status])).to.have.deep.members([[`/v1/stores/${seeded.storeId}/model`, 304], ['/v1/members/me/pack', 304]]);
    expect(again.session).to.deep.include({ state: 'signed-in' });
  });
});
