import { useEffect, useState } from 'preact/hooks';
import { getEngine } from '../../../worker/api.ts';
import { applyUpdate, onUpdateReady } from '../../sw-update.ts';
import type { OutboxView } from '../../hooks/use-outbox.ts';
import { lookup, type DeviceTranslation } from '../../../i18n/translation.ts';
import { money } from '../../../i18n/format.ts';

type T = DeviceTranslation;
type Conflict = Awaited<ReturnType<ReturnType<typeof getEngine>['outboxConflicts']>>[number];

/** Staff panel of the till: send to headquarters now, conflicts to settle, app update and data reset — both refused
 * while redemptions or baskets exist only on this device. */
export function DevicePanel({ view, sendNow, refresh, t, locale }: { view: OutboxView; sendNow: () => Promise<void>; refresh: () => Promise<unknown>; t: T; locale: string }) {
  const [updateReady, setUpdateReady] = useState(false);
  const [message, setMessage] = useState<string>();
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  useEffect(() => onUpdateReady(setUpdateReady), []);
  useEffect(() => { void getEngine().outboxConflicts().then(setConflicts); }, [view.conflicts]);
  const waiting = view.unsynced + view.conflicts;

  const update = async () => {
    const s = await getEngine().outboxStatus();
    if (s.unsynced + s.conflicts > 0) return setMessage(t.updateRefused(s.unsynced + s.conflicts));
    applyUpdate();
  };
  const reset = async () => {
    if (!window.confirm(t.resetConfirm)) return;
    const r = await getEngine().resetDevice();
    if (!r.ok) { await refresh(); return setMessage(t.resetRefused(waiting || 1)); }
    sessionStorage.clear();
    location.reload();
  };

  return (
    <details class="cashier__device">
      <summary>{t.title}{waiting > 0 ? ` · ${t.waiting(waiting)}` : ''}</summary>
      <p role="status" class="cashier__device-status">
        {view.sending ? t.sending : view.last ? (view.last.error ? t.lastFailed(view.last.error) : t.lastSent(view.last.sent)) : t.neverSent}
      </p>
      <div class="cashier__actions">
        <button class="secondary" disabled={view.sending || !view.online} onClick={() => void sendNow()}>{t.sendNow}</button>
        {updateReady && <button class="secondary" onClick={() => void update()}>{t.update}</button>}
        <button class="secondary" onClick={() => void reset()}>{t.reset}</button>
      </div>
      {message && <p class="cashier__error" role="alert">{message}</p>}
      {conflicts.length > 0 && (
        <>
          <h3>{t.conflictsTitle}</h3>
          <ul class="cashier__conflicts">
            {conflicts.map((c) => (
              <li key={c.id}>{lookup(t.reasons, c.reason) ?? c.reason}{c.amountCents !== undefined ? ` · ${money(c.amountCents, locale)}` : ''}{c.listId ? ` · ${c.listId}` : ''}</li>
            ))}
          </ul>
        </>
      )}
    </details>
  );
}
