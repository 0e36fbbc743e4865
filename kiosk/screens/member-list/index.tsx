import { useCallback, useContext, useState } from 'preact/hooks';
import { getEngine } from '../../../worker/api.ts';
import type { ShoppingList } from '../../../core/types.ts';
import { useIdle } from '../../hooks/use-idle.ts';
import { ListBarcode } from './list-barcode.tsx';
import { KioskContext } from '../../state.ts';
import { kioskStrings as strings } from '../../../i18n/kiosk.ts';
import { money, shortDate } from '../../../i18n/format.ts';
import { offerLabel, reasonText } from '../../../i18n/reasons.ts';
import { contentBody, contentTitle } from '../../../i18n/content.ts';
import './style.css';

/** Print the list as an 80 mm receipt or on an A4 page: `html[data-print]` picks the layout and the named @page in
 * style.css. The receipt's page is as long as the slip (measured in its layout, plus the page margins), so a roll
 * printer cuts where the list ends. */
export function printAs(layout: 'receipt' | 'a4'): void {
  const html = document.documentElement;
  html.dataset.print = layout;
  document.getElementById('member-list-page')?.remove();
  const slip = layout === 'receipt' ? document.querySelector('.member-list') : null;
  if (slip) {
    const mm = Math.ceil((slip.getBoundingClientRect().height * 25.4) / 96) + 6 + 2; // 3 mm margins, 2 mm to spare
    const page = Object.assign(document.createElement('style'), { id: 'member-list-page', textContent: `@page { size: 80mm ${mm}mm; margin: 3mm; }` });
    document.head.append(page);
  }
  addEventListener('afterprint', () => {
    delete html.dataset.print;
    document.getElementById('member-list-page')?.remove();
  }, { once: true });
  window.print();
}

/** The member's list: greeting with first name only, due items with prices and offers, "not for me" and "mute for a
 * month" on each item, and "delete my history". `onConsentChanged` reloads the list after any of these. */
export function MemberList({ onDone, onConsentChanged }: { onDone: () => void; onConsentChanged: () => void }) {
  const { state, dispatch } = useContext(KioskContext);
  const [busy, setBusy] = useState(false);
  // A list that could not be printed, and why (kept with its list id: the screen outlives one member's list).
  const [notice, setNotice] = useState<{ listId: string; text: string }>({ listId: '', text: '' });
  // Items hidden on this screen, so the next render drops them before the engine's refreshed list arrives.
  const [hidden, setHidden] = useState<{ memberId: string; ids: string[] }>({ memberId: '', ids: [] });
  const idle = useCallback(() => onDone(), [onDone]);
  useIdle(idle, 60_000, state.screen.name === 'list');
  if (state.screen.name !== 'list') return null;
  const t = strings(state.locale);
  const { member, list, today, stored } = state.screen;
  /** Run an engine call for a button: busy meanwhile, and a notice when the engine fails (its storage) or refuses. */
  const attempt = async (call: () => Promise<{ ok: boolean } | void>): Promise<boolean> => {
    setBusy(true);
    try {
      const r = await call();
      if (r && !r.ok) throw new Error('refused');
      return true;
    } catch (e) {
      console.warn(`kiosk: ${e instanceof Error ? e.message : String(e)}`);
      setNotice({ listId: list.id, text: t.errors.failed });
      return false;
    } finally {
      setBusy(false);
    }
  };
  const setConsent = async (personalise: boolean) => {
    if (!personalise && !window.confirm(t.consent.confirmWithdraw)) return;
    if (await attempt(() => getEngine().setConsent(member.id, personalise))) onConsentChanged();
  };
  const control = async (productId: string, kind: 'not-for-me' | 'mute') => {
    const before = hidden.memberId === member.id ? hidden.ids : [];
    setHidden({ memberId: member.id, ids: [...before, productId] });
    let now: ShoppingList | undefined;
    const done = await attempt(async () => {
      const r = await getEngine().setItemControl(member.id, productId, kind);
      if (r.ok) now = r.value.list;
      return r;
    });
    if (!done) return setHidden({ memberId: member.id, ids: before }); // not stored: the item comes back
    // The engine answers with the list as it now is, read back from the database (so stored); without one, ask.
    if (now) dispatch({ type: 'update-list', member: { ...member, personalise: now.basis !== 'no-consent' }, list: now, today, stored: true });
    else onConsentChanged();
  };
  const deleteHistory = async () => {
    if (!window.confirm(t.controls.confirmDelete)) return;
    if (await attempt(() => getEngine().deleteMyHistory(member.id))) onConsentChanged();
  };
  // Only a stored list is printed (the scan answered once its write had committed or failed), so a printed code
  // always scans.
  const print = (layout: 'receipt' | 'a4') => {
    if (!stored) setNotice({ listId: list.id, text: t.errors['list-not-stored'] });
    else printAs(layout);
  };
  const gone = new Set(hidden.memberId === member.id ? hidden.ids : []);
  const items = list.items.filter((i) => !gone.has(i.productId));
  return (
    <section class="member-list" aria-labelledby="member-list-title">
      {/* Printed only: the slip's header, as on a till receipt. */}
      <p class="member-list__slip-head">
        <strong>{t.store}</strong>
        <span>{t.slip.printed(shortDate(today, state.locale))} · {t.slip.validUntil(shortDate(list.validUntilDay, state.locale))}</span>
      </p>
      <header class="member-list__head">
        <div>
          <h1 id="member-list-title" class="member-list__hello">{t.hello(member.firstName)}</h1>
          <p class="member-list__sub">{t.yourList}</p>
        </div>
        <span class="member-list__actions">
          <button class="secondary member-list__print" onClick={() => void print('receipt')}>{t.print}</button>
          <button class="secondary member-list__print-a4" onClick={() => void print('a4')}>{t.printA4}</button>
          <button onClick={onDone}>{t.done}</button>
        </span>
      </header>
      {notice.listId === list.id && <p class="member-list__note" role="alert">{notice.text}</p>}
      {!list.personalised && <p class="member-list__note">{list.basis === 'below-threshold' ? t.errors['not-eligible'] : t.noConsent}</p>}
      {list.personalised && items.length === 0 && <p class="member-list__note">{t.nothingDue}</p>}
      <ol class="member-list__items">
        {items.map((item) => (
          <li class="member-list__item" key={item.productId}>
            <span class="member-list__name">{item.name}</span>
            <span class={item.priceCents < item.shelfPriceCents ? 'member-list__price member-list__price--offer' : 'member-list__price'}>
              {item.priceCents < item.shelfPriceCents && <s>{money(item.shelfPriceCents, state.locale)}</s>} {money(item.priceCents, state.locale)}
            </span>
            <span class="member-list__reason">
              {/* A `due` reason says when in its sentence, and an offer's sentence is the offer line: each said once. */}
              {item.dueDay !== undefined && item.reason.code !== 'due' && (item.dueDay <= today ? '● ' : `${shortDate(item.dueDay, state.locale)} · `)}
              {item.offer && item.offer.reason.code === item.reason.code ? null : reasonText(item.reason, state.locale)}
            </span>
            {item.offer && <span class="member-list__offer">{reasonText(item.offer.reason, state.locale)}</span>}
            {/* Printed only (the 80 mm slip): when it is due and the offer, in one short line. */}
            <span class="member-list__slip">
              {item.dueDay !== undefined && <span>{item.dueDay <= today ? t.slip.dueNow : t.slip.due(shortDate(item.dueDay, state.locale))}</span>}
              {item.offer && <b>★ {offerLabel(item.offer, state.locale)}{item.priceCents < item.shelfPriceCents ? `, ${t.slip.was(money(item.shelfPriceCents, state.locale))}` : ''}</b>}
            </span>
            <span class="member-list__controls">
              <button class="secondary" aria-label={t.controls.notForMeLabel(item.name)} onClick={() => void control(item.productId, 'not-for-me')}>{t.controls.notForMe}</button>
              <button class="secondary" aria-label={t.controls.muteLabel(item.name)} onClick={() => void control(item.productId, 'mute')}>{t.controls.mute}</button>
            </span>
          </li>
        ))}
      </ol>
      {list.coupons.map((c) => <p class="member-list__coupon" key={c.id}>{money(c.valueCents, state.locale)} · {reasonText(c.reason, state.locale)}</p>)}
      {list.rewards.map((r) => <p class="member-list__reward" key={r.id}><strong>{contentTitle(r, state.locale)}</strong><span class="member-list__reward-body"> — {contentBody(r, state.locale)}</span></p>)}
      <div class="member-list__code"><ListBarcode code={list.code} /></div>
      <footer class="member-list__consent">
        {list.basis === 'no-consent'
          ? <button class="secondary" disabled={busy} onClick={() => void setConsent(true)}>{t.consent.give}</button>
          : <button class="secondary" disabled={busy} onClick={() => void setConsent(false)}>{t.consent.withdraw}</button>}
        <button class="secondary member-list__delete" disabled={busy} onClick={() => void deleteHistory()}>{t.controls.deleteHistory}</button>
      </footer>
    </section>
  );
}
