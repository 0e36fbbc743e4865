/// <reference types="mocha" />
// A store's kiosk (`?hq=`, enrolled by its manager) syncs its store from headquarters when it starts, as the demo
// kiosk does: the real worker and IndexedDB against the real `larder hq` of web-test-runner.config.mjs, seeded with a
// generated store. A kiosk not enrolled starts empty and waits for its manager.
import { expect } from 'chai';
import { render } from 'preact';
import { App } from '../../kiosk/app.tsx';
import { getEngine } from '../../worker/api.ts';
import { serverCommand, until } from './harness.ts';
import { HQ_BASE, seededStore, type SeededStore } from './hq.ts';

function scan(code: string) {
  for (const key of [...code, 'Enter']) window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
}

describe('a store kiosk at start', function () {
  this.timeout(120_000);
  let seeded: SeededStore;
  let div: HTMLDivElement | undefined;
  before(async () => { seeded = await seededStore(); });
  afterEach(() => {
    if (div) render(null, div);
    div?.remove();
    div = undefined;
  });
  const mount = () => {
    div = document.createElement('div');
    document.body.append(div);
    render(<App />, div);
    return div;
  };

  it('syncs its store from headquarters once enrolled, and a member of the store scans', async () => {
    const engine = getEngine();
    await engine.useDatabase(`kiosk-store-start-${Date.now()}`);
    const { code } = (await serverCommand('hq-enrolment-code', { storeId: 'S01' })) as { code: string };
    expect(await engine.enrolDevice(HQ_BASE, code, { label: 'S01 kiosk (start test)' })).to.deep.include({ ok: true });
    expect((await engine.status()).members, 'nothing on the device before it starts').to.equal(0);
    const root = mount();
    await until(() => root.querySelector('.scan-card'), 'the scan screen after the sync', 90_000);
    expect((await engine.status()).members).to.be.greaterThan(0);
    const member = seeded.members.find((m) => m.homeStore === 'S01' && m.personalise && m.firstName)!;
    scan(member.cardCode);
    const hello = await until(() => root.querySelector('.member-list__hello'), 'the member list');
    expect(hello.textContent).to.contain(member.firstName);
  });

  it('starts empty when it is not enrolled, without asking headquarters for anything', async () => {
    const engine = getEngine();
    await engine.useDatabase(`kiosk-store-new-${Date.now()}`);
    await serverCommand('hq-record-start', {});
    const root = mount();
    await until(() => root.querySelector('.scan-card'), 'the scan screen');
    const asked = (await serverCommand('hq-record-take', {})) as { path: string }[];
    expect(asked.map((a) => a.path)).to.deep.equal([]);
    expect((await engine.status()).members).to.equal(0);
  });
});
