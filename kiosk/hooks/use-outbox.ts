// The kiosk's view of the outbox: how many redemptions wait, conflicts, and "send now". The engine drains the outbox
// by itself whatever screen is open (worker/engine/outbox.ts); this hook only watches it, every 15 s and when the
// browser goes on- or offline.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { getEngine } from '../../worker/api.ts';

/** What the cashier sees of the outbox. */
export interface OutboxView {
  online: boolean;
  unsynced: number;
  conflicts: number;
  sending: boolean;
  /** The last send: how many went, how many still wait, and why. */
  last?: { sent: number; pending: number; error?: string };
}

const EVERY_MS = 15_000;

/** Watch the engine's outbox; `sendNow` asks the engine to drain it at once. (The argument is no longer used: the
 * engine sends to the headquarters it is enrolled at. Kept until the till screen stops passing it.) */
export function useOutbox(_hqUrl?: string) {
  const [view, setView] = useState<OutboxView>({ online: navigator.onLine, unsynced: 0, conflicts: 0, sending: false });
  const sending = useRef(false);
  const refresh = useCallback(async () => {
    const s = await getEngine().outboxStatus().catch(() => undefined); // the next tick asks again
    // The engine's own last drain, when it made one: what the staff panel says was sent.
    // Offline: the browser says so, or the engine's last try reached no headquarters at all (a browser can believe
    // it is online behind a dead link).
    if (s) setView((v) => ({ ...v, unsynced: s.unsynced, conflicts: s.conflicts, online: navigator.onLine && !s.last?.unreachable, ...(s.last ? { last: { sent: s.last.sent, pending: s.last.pending, ...(s.last.error ? { error: s.last.error } : {}) } } : {}) }));
    return s;
  }, []);
  const sendNow = useCallback(async () => {
    if (sending.current) return void refresh();
    sending.current = true;
    setView((v) => ({ ...v, sending: true }));
    try {
      const r = await getEngine().syncOutbox();
      if (r) setView((v) => ({ ...v, last: { sent: r.sent, pending: r.pending, ...(r.lastError ? { error: r.lastError } : {}) } }));
    } catch (e) {
      setView((v) => ({ ...v, last: { sent: 0, pending: v.unsynced, error: e instanceof Error ? e.message : String(e) } }));
    } finally {
      sending.current = false;
      setView((v) => ({ ...v, sending: false }));
      await refresh();
    }
  }, [refresh]);
  useEffect(() => {
    const tick = () => void refresh();
    tick();
    const timer = setInterval(tick, EVERY_MS);
    window.addEventListener('online', tick);
    window.addEventListener('offline', tick);
    return () => { clearInterval(timer); window.removeEventListener('online', tick); window.removeEventListener('offline', tick); };
  }, [refresh, sendNow]);
  return { view, refresh, sendNow };
}
