// The kiosk's link to headquarters: how many redemptions wait, conflicts, and sending them when the network is up
// (every 15 s while anything waits, at once when the browser comes back online, or when the cashier asks).
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

/** Watch and drain the outbox towards `hqUrl`. */
export function useOutbox(hqUrl: string) {
  const [view, setView] = useState<OutboxView>({ online: navigator.onLine, unsynced: 0, conflicts: 0, sending: false });
  const sending = useRef(false);
  const refresh = useCallback(async () => {
    const s = await getEngine().outboxStatus().catch(() => undefined); // the next tick asks again
    if (s) setView((v) => ({ ...v, ...s, online: navigator.onLine }));
    return s;
  }, []);
  const sendNow = useCallback(async () => {
    if (sending.current || !navigator.onLine) return void refresh();
    sending.current = true;
    setView((v) => ({ ...v, sending: true }));
    try {
      const r = await getEngine().syncOutbox(hqUrl);
      setView((v) => ({ ...v, last: { sent: r.sent, pending: r.pending, ...(r.lastError ? { error: r.lastError } : {}) } }));
    } catch (e) {
      setView((v) => ({ ...v, last: { sent: 0, pending: v.unsynced, error: e instanceof Error ? e.message : String(e) } }));
    } finally {
      sending.current = false;
      setView((v) => ({ ...v, sending: false }));
      await refresh();
    }
  }, [hqUrl, refresh]);
  useEffect(() => {
    const tick = () => void refresh().then((s) => { if (s && s.unsynced > 0 && navigator.onLine) void sendNow(); });
    tick();
    const timer = setInterval(tick, EVERY_MS);
    window.addEventListener('online', tick);
    window.addEventListener('offline', tick);
    return () => { clearInterval(timer); window.removeEventListener('online', tick); window.removeEventListener('offline', tick); };
  }, [refresh, sendNow]);
  return { view, refresh, sendNow };
}
