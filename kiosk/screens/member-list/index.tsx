import { useContext } from 'preact/hooks';
import { KioskContext } from '../../state.ts';
import { strings } from '../../i18n.ts';
import './style.css';

const money = (cents: number, locale: string) => new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD' }).format(cents / 100);
const dateOf = (day: number, locale: string) =>
  new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(day * 86_400_000));

/** The member's list: greeting with first name only, due items with prices and offers. */
export function MemberList({ onDone }: { onDone: () => void }) {
  const { state } = useContext(KioskContext);
  if (state.screen.name !== 'list') return null;
  const t = strings(state.locale);
  const { member, list, today } = state.screen;
  return (
    <section class="member-list" aria-labelledby="member-list-title">
      <header class="member-list__head">
        <div>
          <h1 id="member-list-title" class="member-list__hello">{t.hello(member.firstName)}</h1>
          <p class="member-list__sub">{t.yourList}</p>
        </div>
        <button onClick={onDone}>{t.done}</button>
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
              {item.dueDay !== undefined && (item.dueDay <= today ? '● ' : `${dateOf(item.dueDay, state.locale)} · `)}
              {item.reason.text}
            </span>
            {item.offer && <span class="member-list__offer">{item.offer.reason.text}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
