// "Enrol this kiosk": a one-time code from headquarters (`larder hq enroll --store S01`) makes this device one of a
// store's kiosks; the engine keeps the device token, the store's key ring and its PIN hash. A kiosk that belongs to a
// store can be enrolled again only after a person confirmed that another store's code erases its data.
import { useState } from 'preact/hooks';
import { getEngine, type EnrolError, type LinkView } from '../../../worker/api.ts';
import type { ManagerTranslation } from '../../../i18n/translation.ts';
import { kioskConfig } from '../../config.ts';

type T = ManagerTranslation;

/** The enrolment form. `link`: the device's link now (enrolled or not); `onEnrolled` gets the new one. */
export function EnrolPanel({ t, link, onEnrolled }: { t: T; link: LinkView; onEnrolled: (link: LinkView) => void }) {
  const w = t.enrol;
  const [hq, setHq] = useState(link.baseUrl ?? kioskConfig.hqUrl);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<EnrolError | 'failed'>();
  const [note, setNote] = useState<string>();
  // A kiosk of a store: the form shows only after "Enrol again", and asks before replacing.
  const [open, setOpen] = useState(!link.enrolled);
  const [confirming, setConfirming] = useState(false);
  const submit = async (replace: boolean) => {
    if (!code.trim() || busy) return;
    if (link.enrolled && !replace) return setConfirming(true);
    setBusy(true);
    setError(undefined);
    setNote(undefined);
    try {
      const r = await getEngine().enrolDevice(hq, code, { replace });
      if (!r.ok) return setError(r.error);
      setCode('');
      setConfirming(false);
      setOpen(false);
      setNote(r.value.wiped ? w.wiped(r.value.link.storeId ?? '') : w.enrolled(r.value.link.storeId ?? ''));
      onEnrolled(r.value.link);
    } catch {
      setError('failed');
    } finally {
      setBusy(false);
    }
  };
  const refresh = async () => {
    setBusy(true);
    try {
      const r = await getEngine().refreshDeviceLink();
      setNote(r.ok ? w.refreshed : w.refreshFailed(r.detail ?? r.error));
      if (r.ok) onEnrolled(r.value);
    } catch (e) {
      setNote(w.refreshFailed(e instanceof Error ? e.message : String(e)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="manager-enrol" data-enrolled={link.enrolled ? link.storeId : undefined}>
      {link.enrolled ? <p class="manager-enrol__store">{w.enrolled(link.storeId ?? '')}</p> : <p class="manager-enrol__hint">{w.hint}</p>}
      {note && <p class="manager__note manager-enrol__note" role="status">{note}</p>}
      {open ? (
        <form class="manager-enrol__form" onSubmit={(e) => { e.preventDefault(); void submit(false); }}>
          <label>{w.hqLabel}<input name="hq" type="url" value={hq} onInput={(e) => setHq(e.currentTarget.value)} required /></label>
          <label>{w.codeLabel}<input name="code" autocomplete="off" autocapitalize="characters" spellcheck={false} value={code} onInput={(e) => { setCode(e.currentTarget.value); setError(undefined); setConfirming(false); }} required /></label>
          {error && <p class="manager__error manager-enrol__error" role="alert">{error === 'failed' ? t.failed : w.errors[error]}</p>}
          {confirming ? (
            <div class="manager-enrol__confirm" role="alertdialog" aria-label={w.again}>
              <p class="manager__warning">{w.replaceConfirm(link.storeId ?? '')}</p>
              <button type="button" class="danger" disabled={busy} onClick={() => void submit(true)}>{w.again}</button>
              <button type="button" class="secondary" onClick={() => setConfirming(false)}>{t.back}</button>
            </div>
          ) : (
            <button type="submit" disabled={busy || !code.trim()}>{busy ? w.busy : w.submit}</button>
          )}
        </form>
      ) : (
        <div class="manager-enrol__actions">
          <button type="button" class="secondary" disabled={busy} onClick={() => void refresh()}>{w.refresh}</button>
          <button type="button" class="secondary" onClick={() => setOpen(true)}>{w.again}</button>
        </div>
      )}
    </div>
  );
}
