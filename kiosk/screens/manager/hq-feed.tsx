// The store's data from headquarters: where the last sync stands (up to date, retrying, failed and why), and "sync now".
import { useEffect, useState } from 'preact/hooks';
import { callback, getEngine, type FeedSyncStatus, type FeedSyncView } from '../../../worker/api.ts';
import type { ManagerTranslation } from '../../../i18n/translation.ts';

type T = ManagerTranslation;

/** The headquarters feed panel's body; `onSynced` runs when a sync stored something. */
export function HqFeedPanel({ t, onSynced }: { t: T; onSynced: () => void }) {
  const [status, setStatus] = useState<FeedSyncView>();
  const [busy, setBusy] = useState(false);
  /** The engine failed (not a failed sync, which it reports itself): shown as a failed sync, the button usable. */
  const failed = (e: unknown) => setStatus((s) => ({ state: 'failed', attempt: 1, rowsDone: s?.rowsDone ?? 0, ...(s?.cursor ? { cursor: s.cursor } : {}), error: e instanceof Error ? e.message : String(e) }));
  useEffect(() => { void getEngine().feedSyncStatus().then(setStatus, failed); }, []);
  const sync = async () => {
    setBusy(true);
    try {
      // The headquarters this kiosk is enrolled at, with its device token (a kiosk not enrolled is told so).
      const result = await getEngine().syncFromHeadquarters(undefined, callback((s: FeedSyncStatus) => setStatus(s)));
      setStatus(await getEngine().feedSyncStatus());
      if (result.ok && result.value.changed) onSynced();
    } catch (e) {
      failed(e);
    } finally {
      setBusy(false);
    }
  };
  if (!status) return null;
  return (
    <div class="manager-hq" data-state={status.state}>
      <p class={status.state === 'failed' ? 'manager__error' : 'manager-hq__state'} role="status">
        {t.hqStates[status.state] ?? status.state}
        {status.state === 'retrying' && status.attempt > 1 ? ` (${t.hqAttempt(status.attempt)})` : ''}
      </p>
      <p class="manager__note">{t.hqDetail(status.rowsDone, status.cursor, status.file, status.kind === 'store')}{status.error ? ` · ${status.error}` : ''}{status.nextAt ? ` · ${t.hqNext(status.nextAt)}` : ''}</p>
      <button class="secondary" disabled={busy} onClick={() => void sync()}>{t.hqSync}</button>
    </div>
  );
}
