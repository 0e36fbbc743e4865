import { useCallback, useContext, useEffect, useState } from 'preact/hooks';
import { getEngine, type CheckoutReceipt, type CheckoutRequest } from '../../../worker/api.ts';
import { KioskContext } from '../../state.ts';
import { kioskStrings as strings } from '../../../i18n/kiosk.ts';
import { lookup } from '../../../i18n/translation.ts';
import { mediumDate, money } from '../../../i18n/format.ts';
import { nothingApplies } from '../../../core/checkout/receipt.ts';
import { useScanner } from '../../hooks/use-scanner.ts';
import { useOutbox } from '../../hooks/use-outbox.ts';
import { kioskConfig } from '../../config.ts';
import { CameraScan } from '../../components/camera-scan.tsx';
import { DevicePanel } from './device.tsx';
import './style.css';

/** A basket line the till cannot take: an unknown product code or a quantity that is not a whole number ≥ 1. */
export interface LineProblem {
  /** 1-based line number in the basket box. */
  line: number;
  productId: string;
  cause: 'unknown-product' | 'bad-quantity';
  /** The quantity as typed, for a bad quantity. */
  qty?: string;
}

/** A checkout in progress; kept in sessionStorage so a reload mid-flow resumes it with the same basket id. */
interface Flow {
  code: string;
  basketId: string;
  basketText: string;
  preview?: CheckoutReceipt;
  receipt?: CheckoutReceipt;
  error?: string;
  /** The lines that stop this basket, each named with its cause; the preview then covers the other lines. */
  problems?: LineProblem[];
}

/** Where the flow survives a reload. */
export const CASHIER_FLOW_KEY = 'larder-cashier-flow';
const KEY = CASHIER_FLOW_KEY;
const newFlow = (): Flow => ({ code: '', basketId: `K-${crypto.randomUUID()}`, basketText: '' });
const loadFlow = (): Flow => {
  try {
    return { ...newFlow(), ...JSON.parse(sessionStorage.getItem(KEY) ?? '{}') };
  } catch {
    return newFlow();
  }
};

/** One basket line as typed, with its line number. */
interface TypedLine { line: number; productId: string; qty: string | undefined }

function typedLines(text: string): TypedLine[] {
  const out: TypedLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const [id, qty] = raw.trim().split(/[,;\t ]+/);
    if (id) out.push({ line: i + 1, productId: id, qty });
  });
  return out;
}

/** Merge typed lines into the engine's basket lines, one per product (quantities added up). */
function merge(lines: readonly TypedLine[]): CheckoutRequest['lines'] {
  const merged: CheckoutRequest['lines'] = [];
  for (const l of lines) {
    const n = l.qty === undefined ? 1 : Number(l.qty);
    const existing = merged.find((m) => m.productId === l.productId);
    if (existing) existing.qty += n;
    else merged.push({ productId: l.productId, qty: n });
  }
  return merged;
}

const wholeQty = (qty: string | undefined) => qty === undefined || /^\d+$/.test(qty) && Number(qty) >= 1;

/** Parse pasted POS lines: `product_id[,qty]` per line (tabs and semicolons also separate). */
export function parseBasketText(text: string): CheckoutRequest['lines'] {
  return merge(typedLines(text));
}

/** The basket split into the lines the till can send and the ones it cannot take: every line is checked, each bad
 * quantity named with its line number (unknown products are the engine's to say: it has the catalogue). */
export function readBasket(text: string): { good: TypedLine[]; problems: LineProblem[] } {
  const good: TypedLine[] = [], problems: LineProblem[] = [];
  for (const l of typedLines(text)) {
    if (wholeQty(l.qty)) good.push(l);
    else problems.push({ line: l.line, productId: l.productId, cause: 'bad-quantity', qty: l.qty });
  }
  return { good, problems };
}

type Engine = ReturnType<typeof getEngine>;
type Outcome = Awaited<ReturnType<Engine['checkout']>>;

/** Preview a basket line by line: the lines with a bad quantity or an unknown product are named, and the offers on
 * the other lines are still checked. */
async function previewByLine(engine: Engine, code: string, basketId: string, text: string): Promise<{ result: Outcome; problems: LineProblem[] }> {
  const { good, problems } = readBasket(text);
  let lines = good;
  let result: Outcome = lines.length ? await engine.previewCheckout({ code, basketId, lines: merge(lines) }) : { ok: false, error: 'empty-basket' };
  if (!result.ok && result.error === 'bad-basket' && result.detail) {
    const unknown = new Set(result.detail.split(' '));
    for (const l of lines) if (unknown.has(l.productId)) problems.push({ line: l.line, productId: l.productId, cause: 'unknown-product' });
    lines = lines.filter((l) => !unknown.has(l.productId));
    if (lines.length) result = await engine.previewCheckout({ code, basketId, lines: merge(lines) });
  }
  problems.sort((a, b) => a.line - b.line);
  // Every line bad: the problems say it all, not "scan the basket first".
  if (problems.length && !lines.length) result = { ok: false, error: 'bad-basket' };
  return { result, problems };
}

/** Cashier: scan the list code or card, then the basket; see which offers apply; confirm; print the savings. */
export function Cashier({ onExit }: { onExit: () => void }) {
  const { state } = useContext(KioskContext);
  const t = strings(state.locale);
  const [flow, setFlow] = useState<Flow>(loadFlow);
  const [busy, setBusy] = useState(false);
  const { view: outbox, sendNow, refresh } = useOutbox(kioskConfig.hqUrl);
  useEffect(() => sessionStorage.setItem(KEY, JSON.stringify(flow)), [flow]);
  // A scanner burst fills the list/card code first, then adds product codes to the basket.
  const onScan = useCallback((code: string) => setFlow((f) => (f.code ? { ...f, basketText: `${f.basketText}${f.basketText && !f.basketText.endsWith('\n') ? '\n' : ''}${code}`, preview: undefined, problems: undefined } : { ...f, code })), []);
  useScanner(onScan, !flow.receipt);

  const run = async (kind: 'preview' | 'confirm') => {
    setBusy(true);
    const engine = getEngine();
    const code = flow.code.trim();
    let result: Outcome;
    let problems: LineProblem[] = [];
    try {
      if (kind === 'preview') ({ result, problems } = await previewByLine(engine, code, flow.basketId, flow.basketText));
      else result = await engine.checkout({ code, basketId: flow.basketId, lines: parseBasketText(flow.basketText) });
    } catch (e) {
      // The engine failed (a blocked or vanished database): nothing was redeemed; the till says so and stays usable.
      console.warn(`checkout failed: ${e instanceof Error ? e.message : String(e)}`);
      return setFlow((f) => ({ ...f, error: 'failed', preview: undefined, problems: undefined }));
    } finally {
      setBusy(false);
    }
    const found = problems.length ? { problems } : { problems: undefined };
    if (!result.ok) return setFlow((f) => ({ ...f, error: result.error === 'bad-basket' && problems.length ? undefined : result.error, preview: undefined, ...found }));
    setFlow((f) => ({ ...f, error: undefined, ...found, ...(kind === 'preview' ? { preview: result.value } : { receipt: result.value }) }));
    if (kind === 'confirm') void sendNow(); // refreshes the count too, sent or not
  };
  const next = () => setFlow(newFlow());

  const shown = flow.receipt ?? flow.preview;
  const nothing = flow.preview && !flow.receipt ? nothingApplies(flow.preview) : undefined;
  // Nothing to redeem on a list that has offers: no confirm (a list without offers still records the basket).
  const noConfirm = (nothing === 'no-offers-left' || nothing === 'none-apply') && !flow.problems?.length;
  const canConfirm = !busy && !!flow.preview && !flow.problems?.length && !noConfirm;
  return (
    <section class="cashier" aria-labelledby="cashier-title">
      <header class="cashier__head">
        <h1 id="cashier-title">{t.cashier.title}</h1>
        <p class={outbox.online ? 'cashier__net' : 'cashier__net cashier__net--off'} role="status">
          {outbox.online ? t.cashier.online : t.cashier.offline} · {t.cashier.unsynced(outbox.unsynced)}
          {outbox.conflicts > 0 && <> · <span class="cashier__conflict-count">{t.cashier.conflicts(outbox.conflicts)}</span></>}
        </p>
        <button class="secondary" onClick={onExit}>{t.done}</button>
      </header>
      {!flow.receipt && (
        <form class="cashier__form" onSubmit={(e) => { e.preventDefault(); void run('preview'); }}>
          <label for="cashier-code">{t.cashier.code}</label>
          <input id="cashier-code" inputMode="numeric" autocomplete="off" value={flow.code}
            onInput={(e) => setFlow((f) => ({ ...f, code: (e.currentTarget as HTMLInputElement).value, preview: undefined, error: undefined, problems: undefined }))} />
          <label for="cashier-basket">{t.cashier.basket}</label>
          <textarea id="cashier-basket" rows={6} value={flow.basketText} placeholder="P00001,2"
            onInput={(e) => setFlow((f) => ({ ...f, basketText: (e.currentTarget as HTMLTextAreaElement).value, preview: undefined, error: undefined, problems: undefined }))} />
          <CameraScan onScan={onScan} label={t.cameraScan.start} stopLabel={t.cameraScan.stop} failed={t.cameraScan.failed} />
          {flow.error && <p class="cashier__error" role="alert">{lookup(t.cashier.errors, flow.error) ?? t.errors.failed}</p>}
          {flow.problems && flow.problems.length > 0 && (
            <div class="cashier__lines-error" role="alert">
              <p class="cashier__error">{t.cashier.lineErrors.title}</p>
              <ul>
                {flow.problems.map((p) => (
                  <li key={p.line} data-line={p.line}>
                    {p.cause === 'unknown-product' ? t.cashier.lineErrors.unknownProduct(p.line, p.productId) : t.cashier.lineErrors.badQuantity(p.line, p.qty ?? '')}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {nothing && !flow.problems?.length && <p class="cashier__nothing" role="status">{t.cashier.nothing[nothing]}</p>}
          <div class="cashier__actions">
            <button type="submit" class="secondary" disabled={busy || !flow.code}>{t.cashier.preview}</button>
            {!noConfirm && <button type="button" disabled={!canConfirm} onClick={() => void run('confirm')}>{t.cashier.confirm}</button>}
          </div>
        </form>
      )}
      {shown && <Receipt r={shown} final={!!flow.receipt} partial={!!flow.problems?.length} t={t} locale={state.locale} onNext={next} />}
      <DevicePanel view={outbox} sendNow={sendNow} refresh={refresh} t={t.cashier.device} locale={state.locale} />
    </section>
  );
}

/** The savings receipt, on screen and as the printed slip: store, date, member, list code, the basket with its total,
 * the offers redeemed with their total, and the offers not applied in one small line per reason. */
function Receipt({ r, final, partial, t, locale, onNext }: { r: CheckoutReceipt; final: boolean; partial: boolean; t: ReturnType<typeof strings>; locale: string; onNext: () => void }) {
  const c = t.cashier;
  const m = (cents: number) => money(cents, locale);
  const refused = new Map<string, string[]>();
  for (const x of r.refusals) refused.set(x.reason, [...(refused.get(x.reason) ?? []), x.name]);
  const title = final ? (r.replay ? c.alreadyRedeemed : r.receipt.length ? c.saved : c.slip.recorded) : partial ? c.lineErrors.otherLines : nothingApplies(r) ? c.slip.savingsTitle : c.applies;
  return (
    <div class={final ? 'cashier__receipt cashier__receipt--final' : 'cashier__receipt'} aria-live="polite">
      <header class="cashier__slip-head">
        <strong class="cashier__store">{t.store}</strong>
        <span class="cashier__date">{c.slip.date(mediumDate(r.day, locale))}</span>
        <span class="cashier__member">{c.slip.member(r.memberName, r.memberId)}</span>
        <span class="cashier__list-code">{c.slip.listCode(r.listCode)}</span>
      </header>
      <h2>{title}</h2>
      {r.receipt.length > 0 && <table class="cashier__savings">
        <tbody>
          {r.receipt.map((line) => (
            <tr key={line.offerId}><td>{line.name}</td><td>×{line.units}</td><td class="cashier__money">−{m(line.savingCents)}</td></tr>
          ))}
        </tbody>
        <tfoot><tr><th colSpan={2}>{c.total}</th><th class="cashier__money">−{m(r.totalSavingCents)}</th></tr></tfoot>
      </table>}
      {refused.size > 0 && (
        <ul class="cashier__refusals">
          {[...refused].map(([reason, names]) => (
            <li key={reason} data-reason={reason}><span class="cashier__refusal-reason">{c.slip.refusedAs(lookup(c.refusals, reason) ?? reason)}</span> {names.join(locale === 'zh-CN' ? '、' : ', ')}</li>
          ))}
        </ul>
      )}
      <h3 class="cashier__basket-title">{c.slip.basketTitle}</h3>
      <table class="cashier__basket">
        <tbody>
          {r.basket.map((l) => (
            <tr key={l.productId} data-product={l.productId}><td>{l.name}</td><td class="cashier__qty">{c.slip.line(l.qty, m(l.unitPriceCents))}</td><td class="cashier__money">{m(l.lineCents)}</td></tr>
          ))}
        </tbody>
        <tfoot>
          <tr><th colSpan={2}>{c.slip.basketTotal}</th><th class="cashier__money">{m(r.basketTotalCents)}</th></tr>
          <tr class="cashier__after"><th colSpan={2}>{c.slip.afterSavings}</th><th class="cashier__money">{m(r.basketTotalCents - r.totalSavingCents)}</th></tr>
        </tfoot>
      </table>
      {r.nextListCode && <p class="cashier__next-list">{c.slip.nextList(r.nextListCode)}</p>}
      {final && (
        <div class="cashier__actions">
          <button class="secondary" onClick={() => window.print()}>{c.print}</button>
          <button onClick={onNext}>{c.next}</button>
        </div>
      )}
    </div>
  );
}
