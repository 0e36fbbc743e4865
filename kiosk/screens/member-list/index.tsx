import { useCallback, useContext, useState } from 'preact/hooks';
import { getEngine } from '../../../worker/bridge.ts';
import { useIdle } from '../../hooks/use-idle.ts';
import { ListBarcode } from './list-barcode.tsx';
import { KioskContext } from '../../state.ts';
import { strings } from '../../i18n.ts';
import { money, shortDate } from '../../../core/format.ts';
import './style.css';


/** The member's list: greeting with first name only, due items with prices and offers. */
export function MemberList({ onDone, onConsentChanged }: { onDone: () => void; onConsentChanged: () => void }) {
  const { state } = useContext(KioskContext);
  const [busy, setBusy] = useState(false);
  const idle = useCallback(() => onDone(), [onDone]);
  useIdle(idle, 60_000, state.screen.name === 'list');
  if (state.screen.name !== 'list') return null;
  const t = strings(state.locale);
  const { member, list, today } = state.screen;
  const setConsent = async (personalise: boolean) => {
    if (!personalise && !window.confirm(t.consent.confirmWithdraw)) return;
    setBusy(true);
    await getEngine().setConsent(member.id, personalise);
    setBusy(false);
    onConsentChanged();
  };
  return (
    <section class="member-list" aria-labelledby="member-list-title">
      <header class="member-list__head">
        <div>
          <h1 id="member-list-title" class="member-list__hello">{t.hello(member.firstName)}</h1>
          <p class="member-list__sub">{t.yourList}</p>
        </div>
        <span class="member-list__actions">
          <button class="secondary" onClick={() => window.print()}>{t.print}</button>
          <button onClick={onDone}>{t.done}</button>
        </span>
      </header>
      {!list.personalised && <p class="member-list__note">{list.basis === 'below-threshold' ? t.errors['not-eligible'] : t.noConsent}</p>}
      {list.personalised && list.items.length === 0 && <p class="member-list__note">{t.nothingDue}</p>}
      <ol class="member-list__items">
        {list.items.map((item) => (
          <li class="member-list__item" key={item.productId}>
            <span class="member-list__name">{item.name}</span>
            <span class={item.priceCents < item.shelfPriceCents ? 'member-list__price member-list__price--offer' : 'member-list__price'}>
              {item.priceCents < item.shelfPriceCents && <s>{money(item.shelfPriceCents, state.locale)}</s>} {money(item.priceCents, state.locale)}
            </span>
            <span class="member-list__reason">
              {item.dueDay !== undefined && (item.dueDay <= today ? '● ' : `${shortDate(item.dueDay, state.locale)} · `)}
              {item.reason.text}
            </span>
            {item.offer && <span class="member-list__offer">{item.offer.reason.text}</span>}
          </li>
        ))}
      </ol>
      {list.coupons.map((c) => <p class="member-list__coupon" key={c.id}>{money(c.valueCents, state.locale)} · {c.reason.text}</p>)}
      {list.rewards.map((r) => <p class="member-list__reward" key={r.id}><strong>{r.title}</strong> — {r.body}</p>)}
      <div class="member-list__code"><ListBarcode code={list.code} /></div>
      <footer class="member-list__consent">
        {list.basis === 'no-consent'
          ? <button class="secondary" disabled={busy} onClick={() => void setConsent(true)}>{t.consent.give}</button>
          : <button class="secondary" disabled={busy} onClick={() => void setConsent(false)}>{t.consent.withdraw}</button>}
      </footer>
    </section>
  );
}
