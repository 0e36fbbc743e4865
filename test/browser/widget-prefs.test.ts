/// <reference types="mocha" />
// A signed-in shopper's controls are saved at headquarters (the real `larder hq` of web-test-runner.config.mjs, seeded
// as for widget-signed-in.test.ts) and come back in their pack: hidden on the page, the device forgets the member, a
// new sign-in shows the item still hidden because the pack carries it; hidden while headquarters is unreachable, the
// change waits on the device and is sent at the next visit that reaches headquarters.
import { expect } from 'chai';
import { openDB } from 'idb';
import '../../widget/index.ts';
import { controlsStored } from '../../widget/item-controls.ts';
import { getEngine } from '../../worker/api.ts';
import { mount, serverCommand, settled, until, untilAsync } from './harness.ts';
import { seededStore, type SeededMember } from './hq.ts';

interface Recorded { path: string; status: number; body: string }

const token = async (memberId: string) => ((await serverCommand('hq-member-token', { memberId })) as { token: string }).token;

/** What the device keeps in the web database: the pack's member, and the changes waiting for headquarters. */
async function stored(): Promise<{ packs: string[]; queued: number }> {
  const db = await openDB('larder-web');
  try {
    const has = (n: string) => db.objectStoreNames.contains(n);
    return { packs: has('pack') ? ((await db.getAll('pack')) as { memberId: string }[]).map((p) => p.memberId) : [], queued: has('outbox') ? await db.count('outbox') : 0 };
  } finally {
    db.close();
  }
}

/** An item's name without its offer badge. */
const nameOf = (n: Element) => [...n.childNodes].filter((c) => c.nodeType === Node.TEXT_NODE).map((c) => c.textContent).join('').trim();
const names = (root: ShadowRoot) => [...root.querySelectorAll('li .name')].map(nameOf);

describe('the widget saves a signed-in shopper\'s controls at headquarters', function () {
  this.timeout(120_000);
  let storeId: string;
  let members: SeededMember[];

  before(async () => {
    ({ storeId, members } = await seededStore());
    await getEngine().webSignOut();
  });
  afterEach(async () => {
    document.querySelectorAll('larder-shopping-list, larder-recommendations').forEach((el) => el.remove());
    await getEngine().webSignOut();
  });

  const list = (hq: string, t: string) => mount('larder-shopping-list', { hq, store: storeId, token: t, 'as-of': '2026-11-23', limit: '10' });

  /** Hide the first item of `root`'s list; its name once the engine stored the control. */
  async function hideFirst(root: ShadowRoot): Promise<string> {
    const first = nameOf(root.querySelector('li .name')!);
    expect(first).to.not.equal('');
    root.querySelector<HTMLButtonElement>('li [part=not-for-me-button]')!.click();
    await until(() => root.querySelector('[part=undo]')?.textContent?.includes(first), 'the undo line');
    await controlsStored();
    return first;
  }

  /** Sign in afresh (the device forgot the member): the list, and the pack headquarters sent. */
  async function signInAgain(t: string): Promise<{ root: ShadowRoot; pack: { controls: { productId: string; kind: string }[] } }> {
    expect(await stored()).to.deep.equal({ packs: [], queued: 0 });
    await serverCommand('hq-record-start', {});
    const root = await settled(list('/hq/', t), 'the list signed in again');
    const answers = (await serverCommand('hq-record-take', {})) as Recorded[];
    const pack = answers.find((a) => a.path === '/v1/members/me/pack')!;
    expect(pack.status).to.equal(200); // nothing kept: the whole pack came
    return { root, pack: JSON.parse(pack.body) as { controls: { productId: string; kind: string }[] } };
  }

  const idOf = async (name: string, controls: { productId: string }[]) => {
    const r = await getEngine().webProducts({ hq: '/hq/', storeId }, { ids: controls.map((c) => c.productId) });
    if (!r.ok) throw new Error(r.error);
    return r.value.find((p) => p.name === name)?.id;
  };

  it('hidden, the device forgets the member, signed in again: the item stays hidden because the pack carries it', async () => {
    const me = members.filter((m) => m.personalise && m.basketIds.length >= 8).at(-1)!;
    const t = await token(me.id);
    const first = list('/hq/', t);
    const root = await settled(first, 'the list');
    const hidden = await hideFirst(root);
    await until(() => !names(root).includes(hidden), 'the item gone from the list');
    // Sent: headquarters confirmed it, so nothing waits on the device.
    await untilAsync(async () => (await stored()).queued === 0, 'the change confirmed by headquarters');
    first.remove();
    await getEngine().webSignOut();

    const again = await signInAgain(await token(me.id));
    expect(again.pack.controls.some((c) => c.kind === 'not-for-me')).to.equal(true);
    expect(await idOf(hidden, again.pack.controls), 'the hidden item is in the pack\'s controls').to.be.a('string');
    expect(names(again.root).length).to.be.greaterThan(0);
    expect(names(again.root)).to.not.include(hidden);
    expect((await stored()).packs).to.deep.equal([me.id]);
  });

  it('hidden while headquarters is unreachable: kept on the device, sent at the next visit, then in the pack', async () => {
    const me = members.filter((m) => m.personalise && m.basketIds.length >= 8).at(-2)!;
    const t = await token(me.id);
    // A first visit keeps the model and the pack; the second finds headquarters down (nothing listens on port 9).
    const online = list('/hq/', t);
    await settled(online, 'the list');
    online.remove();
    const offline = list('http://127.0.0.1:9/', t);
    const root = await settled(offline, 'the list offline');
    expect(offline.session).to.deep.include({ state: 'offline' });
    const hidden = await hideFirst(root);
    await until(() => !names(root).includes(hidden), 'the item gone from the list');
    expect(await stored()).to.deep.equal({ packs: [me.id], queued: 1 });
    offline.remove();

    // Headquarters reachable again: the queued change goes, and the device's queue empties.
    await serverCommand('hq-record-start', {});
    const back = await settled(list('/hq/', t), 'the list online again');
    expect(names(back)).to.not.include(hidden);
    await untilAsync(async () => (await stored()).queued === 0, 'the queued change sent');
    const sent = ((await serverCommand('hq-record-take', {})) as Recorded[]).filter((a) => a.path === '/v1/members/me/prefs');
    expect(sent.map((a) => a.status)).to.include(200);
    document.querySelectorAll('larder-shopping-list').forEach((el) => el.remove());
    await getEngine().webSignOut();

    const again = await signInAgain(await token(me.id));
    expect(await idOf(hidden, again.pack.controls)).to.be.a('string');
    expect(names(again.root)).to.not.include(hidden);
  });

  it('not signed in: no control is offered and nothing is sent', async () => {
    await serverCommand('hq-record-start', {});
    const root = await settled(mount('larder-shopping-list', { hq: '/hq/', store: storeId, 'as-of': '2026-11-23' }), 'the store-wide list');
    expect(root.querySelector('[part=not-for-me-button]')).to.equal(null);
    const r = await getEngine().webItemControl({ hq: '/hq/', storeId }, members[0]!.id, 'P00001', 'not-for-me');
    expect(r).to.deep.include({ ok: false, error: 'not-signed-in' });
    const answers = (await serverCommand('hq-record-take', {})) as Recorded[];
    expect(answers.map((a) => a.path)).to.not.include('/v1/members/me/prefs');
    expect((await stored()).queued).to.equal(0);
  });
});
