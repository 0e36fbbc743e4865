import { useCallback, useEffect, useReducer, useState } from 'preact/hooks';
import { callback, getEngine, type FeedSyncStatus } from '../worker/api.ts';
import { createKioskState, KioskContext, kioskReducer, type KioskAction, type KioskState } from './state.ts';
import { kioskStrings as strings } from '../i18n/kiosk.ts';
import { useScanner } from './hooks/use-scanner.ts';
import { ScanCard } from './screens/scan-card/index.tsx';
import { MemberList } from './screens/member-list/index.tsx';
import { Cashier, CASHIER_FLOW_KEY } from './screens/cashier/index.tsx';

/** An enrolled kiosk's data (the demo's, or a store's `?hq=` kiosk once its manager enrolled it): its store's feeds
 * synced from headquarters with its device token (only that store's members). A kiosk that holds data already starts
 * at once and syncs behind (offline, it runs on what it holds); the first start waits for the sync, its progress on
 * screen. False: nothing to run on (never synced, headquarters down). */
async function startFromHeadquarters(dispatch: (a: KioskAction) => void): Promise<boolean> {
  const engine = getEngine();
  const held = (await engine.status().catch(() => undefined))?.members ?? 0;
  const onStatus = (s: FeedSyncStatus) => { if (!held) dispatch({ type: 'progress', lines: s.rowsDone, syncing: true, retrying: s.state === 'retrying' }); };
  const sync = engine.syncFromHeadquarters(undefined, callback(onStatus)).catch((e: unknown) => ({ ok: false as const, error: String(e) }));
  if (held) {
    void sync.then((r) => { if (!r.ok) console.warn(`headquarters sync: ${r.error}`); });
    return true;
  }
  const synced = await sync;
  if (!synced.ok) console.warn(`headquarters sync: ${synced.error}`);
  return synced.ok && ((await engine.status().catch(() => undefined))?.members ?? 0) > 0;
}

/** The kiosk: loads the store data, then scan → list. */
export function App({ initial = createKioskState(), dataUrl, demoHq }: { initial?: KioskState; dataUrl?: string; demoHq?: string }) {
  const [state, dispatch] = useReducer(kioskReducer, initial);
  const t = strings(state.locale);

  useEffect(() => {
    const engine = getEngine();
    void (async () => {
      // The demo enrols first, so the lists it issues are signed with the demo store's key ring from headquarters.
      // Headquarters down: the demo still runs on what it holds, and enrols at its next start.
      if (demoHq) await engine.enrolDemo(demoHq).catch(() => undefined);
      if (dataUrl) {
        const loaded = await engine
          .loadDemo(dataUrl, callback((p: { lines: number }) => dispatch({ type: 'progress', lines: p.lines })))
          .catch((e: unknown) => ({ ok: false as const, error: String(e) }));
        if (!loaded.ok) return dispatch({ type: 'scan-failed', error: 'no-data' });
      } else if (demoHq || (await engine.deviceLink().catch(() => undefined))?.enrolled) {
        // Not enrolled yet (a store's new kiosk): it starts empty, and its manager enrols it.
        if (!(await startFromHeadquarters(dispatch))) return dispatch({ type: 'scan-failed', error: 'no-data' });
      }
      // A reload in the middle of a checkout resumes it (the cashier screen keeps its flow in sessionStorage).
      dispatch({ type: sessionStorage.getItem(CASHIER_FLOW_KEY) ? 'cashier' : 'ready' });
    })();
  }, [dataUrl, demoHq]);

  const onCard = useCallback(async (code: string) => {
    try {
      // One call: the card checked, the member's list and the day, and whether the list is stored (for printing).
      const scan = await getEngine().scanCard(code);
      if (!scan.ok) return dispatch({ type: 'scan-failed', error: scan.error });
      dispatch({ type: 'show-list', ...scan.value });
    } catch (e) {
      // The engine failed (its storage, most likely): the shopper is told to try again instead of seeing nothing.
      console.warn(`scan failed: ${e instanceof Error ? e.message : String(e)}`);
      dispatch({ type: 'scan-failed', error: 'failed' });
    }
  }, []);
  const resetToStart = useCallback(() => dispatch({ type: 'reset' }), []);
  const refreshList = useCallback(async () => {
    if (state.screen.name !== 'list') return;
    const member = state.screen.member;
    const shown = await getEngine().memberList(member.id);
    if (shown.ok) dispatch({ type: 'update-list', member: { ...member, personalise: shown.value.list.basis !== 'no-consent' }, ...shown.value });
  }, [state.screen]);
  useScanner(onCard, state.screen.name === 'scan' || state.screen.name === 'list');

  // The manager screen pulls Chart.js: loaded on first use, never in the start bundle.
  const [manager, setManager] = useState<typeof import('./screens/manager/index.tsx')>();
  useEffect(() => { if (state.screen.name === 'manager' && !manager) void import('./screens/manager/index.tsx').then(setManager); }, [state.screen.name]);

  return (
    <KioskContext.Provider value={{ state, dispatch }}>
      <div class="kiosk-bar">
        <strong>{t.store}</strong>
        <span class="kiosk-bar__actions">
          {state.screen.name !== 'cashier' && state.screen.name !== 'starting' && <button onClick={() => dispatch({ type: 'cashier' })}>{t.cashier.title}</button>}
          {state.screen.name !== 'manager' && state.screen.name !== 'starting' && <button onClick={() => dispatch({ type: 'manager' })}>{t.manager.button}</button>}
          <button onClick={() => dispatch({ type: 'toggle-locale' })} lang={state.locale === 'en' ? 'zh-CN' : 'en'}>{t.language}</button>
        </span>
      </div>
      {state.screen.name === 'starting' && <p class="kiosk-status" role="status" style="text-align:center;margin-top:3rem">{state.screen.syncing ? t.syncing(state.screen.lines, !!state.screen.retrying) : t.loading(state.screen.lines)}</p>}
      {state.screen.name === 'scan' && <ScanCard onCard={onCard} />}
      {state.screen.name === 'list' && <MemberList onDone={resetToStart} onConsentChanged={() => void refreshList()} />}
      {state.screen.name === 'manager' && (manager ? <manager.Manager onExit={() => dispatch({ type: 'reset' })} /> : <p class="kiosk-status" role="status" style="text-align:center;margin-top:3rem">{t.manager.loading}</p>)}
      {state.screen.name === 'cashier' && <Cashier onExit={() => { sessionStorage.removeItem(CASHIER_FLOW_KEY); dispatch({ type: 'reset' }); }} />}
    </KioskContext.Provider>
  );
}
