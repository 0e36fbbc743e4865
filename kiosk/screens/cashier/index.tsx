import { useCallback, useContext, useEffect, useState } from 'preact/hooks';
import { getEngine, type CheckoutReceipt, type CheckoutRequest } from '../../../worker/api.ts';
import { KioskContext } from '../../state.ts';
import { kioskStrings as strings } from '../../../i18n/kiosk.ts';
import { lookup } from '../../../i18n/translation.ts';
import { money } from '../../../i18n/format.ts';
import { useScanner } from '../../hooks/use-scanner.ts';
import { useOutbox } from '../../hooks/use-outbox.ts';
import { kioskConfig } from '../../config.ts';
import { CameraScan } from '../../components/camera-scan.tsx';
import { DevicePanel } from './device.tsx';
import './style.css';

/** A checkout in progress; kept in sessionStorage so a reload mid-flow resumes it with the same basket id. */
interface Flow {
  code: string;
  basketId: string;
  basketText: string;
  preview?: CheckoutReceipt;
  receipt?: CheckoutReceipt;
  error?: string;
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

/** Parse pasted POS lines: `product_id[,qty]` per line (tabs and semicolons also separate). */
export function parseBasketText(text: string): CheckoutRequest['lines'] {
  const lines: CheckoutRequest['lines'] = [];
  for (const raw of text.split(/\r?\n/)) {
    const [id, qty] = raw.trim().split(/[,;\t ]+/);
    if (!id) continue;
    const existing = lines.find((l) => l.productId === id);
    const n = qty === undefined ? 1 : Number(qty);
    if (existing) existing.qty += n;
    else lines.push({ productId: id, qty: n });
  }
  return lines;
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
  const onScan = useCallback((code: string) => setFlow((f) => (f.code ? { ...f, basketText: `${f.basketText}${f.basketText && !f.basketText.endsWith('\n') ? '\n' : ''}${code}` } : { ...f, code })), []);
  useScanner(onScan, !flow.receipt);

  const request = (): CheckoutRequest => ({ code: flow.code.trim(), basketId: flow.basketId, lines: parseBasketText(flow.basketText) });
  const run = async (kind: 'preview' | 'confirm') => {
    setBusy(true);
    const engine = getEngine();
    let result: Awaited<ReturnType<typeof engine.checkout>>;
    try {
      result = kind === 'preview' ? await engine.previewCheckout(request()) : await engine.checkout(request());
    } catch (e) {
      // The engine failed (a blocked or vanished database): nothing was redeemed; the till says so and stays usable.
      console.warn(`checkout failed: ${e instanceof Error ? e.message : String(e)}`);
      return setFlow((f) => ({ ...f, error: 'failed', preview: undefined }));
    } finally {
      setBusy(false);
    }
    if (!result.ok) return setFlow((f) => ({ ...f, error: result.error, preview: undefined }));
    setFlow((f) => ({ ...f, error: undefined, ...(kind === 'preview' ? { preview: result.value } : { receipt: result.value }) }));
    if (kind === 'confirm') void sendNow(); // refreshes the count too, sent or not
  };
  const next = () => setFlow(newFlow());

  const shown = flow.receipt ?? flow.preview;
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
            onInput={(e) => setFlow((f) => ({ ...f, code: (e.currentTarget as HTMLInputElement).value, preview: undefined, error: undefined }))} />
          <label for="cashier-basket">{t.cashier.basket}</label>
          <textarea id="cashier-basket" rows={6} value={flow.basketText} placeholder="P00001,2"
            onInput={(e) => setFlow((f) => ({ ...f, basketText: (e.currentTarget as HTMLTextAreaElement).value, preview: undefined, error: undefined }))} />
          <CameraScan onScan={onScan} label={t.cameraScan.start} stopLabel={t.cameraScan.stop} failed={t.cameraScan.failed} />
          {flow.error && <p class="cashier__error" role="alert">{lookup(t.cashier.errors, flow.error) ?? t.errors.failed}</p>}
          <div class="cashier__actions">
            <button type="submit" class="secondary" disabled={busy || !flow.code}>{t.cashier.preview}</button>
            <button type="button" disabled={busy || !flow.preview} onClick={() => void run('confirm')}>{t.cashier.confirm}</button>
          </div>
        </form>
      )}
      {shown && (
        <div class={flow.receipt ? 'cashier__receipt cashier__receipt--final' : 'cashier__receipt'} aria-live="polite">
          <h2>{flow.receipt ? (flow.receipt.replay ? t.cashier.alreadyRedeemed : t.cashier.saved) : t.cashier.applies}</h2>
          <table>
            <tbody>
              {shown.receipt.map((line) => (
                <tr key={line.offerId}><td>{line.name}</td><td>×{line.units}</td><td class="cashier__money">−{money(line.savingCents, state.locale)}</td></tr>
              ))}
            </tbody>
            <tfoot><tr><th colSpan={2}>{t.cashier.total}</th><th class="cashier__money">−{money(shown.totalSavingCents, state.locale)}</th></tr></tfoot>
          </table>
          {shown.refusals.length > 0 && (
            <ul class="cashier__refusals">
              {shown.refusals.map((r) => <li key={r.offerId}>{r.name}: {t.cashier.refusals[r.reason] ?? r.reason}</li>)}
            </ul>
          )}
          {flow.receipt && (
            <div class="cashier__actions">
              <button class="secondary" onClick={() => window.print()}>{t.cashier.print}</button>
              <button onClick={next}>{t.cashier.next}</button>
            </div>
          )}
        </div>
      )}
      <DevicePanel view={outbox} sendNow={sendNow} refresh={refresh} t={t.cashier.device} locale={state.locale} />
    </section>
  );
}
