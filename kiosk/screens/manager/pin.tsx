// The manager's PIN pad. The PIN is set per store at headquarters and reaches the kiosk as a salted hash; the engine
// checks it (worker/hq-link.ts) and keeps the count of wrong tries, so five of them lock the pad for five minutes
// even across a reload. There is no default PIN.
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { getEngine } from '../../../worker/api.ts';
import { KioskContext } from '../../state.ts';
import { kioskStrings as strings } from '../../../i18n/kiosk.ts';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;
/** Dots shown before anything is typed (the PIN's length is not known on the kiosk: it holds only a hash). */
const DOTS = 4;

type Problem = { kind: 'wrong'; triesLeft: number } | { kind: 'locked'; until: number } | { kind: 'no-pin' } | { kind: 'failed' };

/** The PIN pad; `onOpen` runs once headquarters' PIN was typed. */
export function PinPad({ storeId, onOpen, onExit }: { storeId: string; onOpen: () => void; onExit: () => void }) {
  const { state } = useContext(KioskContext);
  const t = strings(state.locale).manager;
  const words = t.enrol;
  const [code, setCodeState] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  // Keys can arrive faster than renders (a keyboard burst): the typed code lives in a ref, the state only shows it.
  const typed = useRef('');
  const setCode = (c: string) => { typed.current = c; setCodeState(c); };
  useEffect(() => {
    void getEngine().managerPinState().then((s) => {
      if (!s.pinSet) setProblem({ kind: 'no-pin' });
      else if (s.lockedUntil !== undefined) setProblem({ kind: 'locked', until: s.lockedUntil });
    }, () => setProblem({ kind: 'failed' }));
  }, []);
  // A lock ends by itself: the pad opens again when its time is up.
  useEffect(() => {
    if (problem?.kind !== 'locked') return;
    const timer = setTimeout(() => setProblem(undefined), Math.max(0, problem.until - Date.now()));
    return () => clearTimeout(timer);
  }, [problem]);
  const check = async (attempt: string) => {
    if (!attempt || busy) return;
    setBusy(true);
    try {
      const r = await getEngine().checkManagerPin(attempt);
      setCode('');
      if (r.ok) return onOpen();
      if (r.error === 'locked') setProblem({ kind: 'locked', until: Number(r.detail) });
      else if (r.error === 'no-pin') setProblem({ kind: 'no-pin' });
      else setProblem({ kind: 'wrong', triesLeft: Number(r.detail) });
    } catch {
      setProblem({ kind: 'failed' });
    } finally {
      setBusy(false);
    }
  };
  const press = (key: string) => {
    if (key === 'clear') return setCode('');
    if (key === 'back') return setCode(typed.current.slice(0, -1));
    if (key === 'enter') return void check(typed.current);
    if (!/^\d$/.test(key)) return;
    if (problem?.kind === 'wrong') setProblem(undefined);
    setCode((typed.current + key).slice(0, 12));
  };
  // Typed on a keyboard too: digits, Backspace, Escape, Enter (the window hears them; there is no text field to focus).
  const pressRef = useRef(press);
  pressRef.current = press;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const key = e.key === 'Backspace' ? 'back' : e.key === 'Escape' ? 'clear' : e.key === 'Enter' ? 'enter' : e.key;
      if (key.length === 1 && !/\d/.test(key)) return;
      e.preventDefault();
      pressRef.current(key);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const time = (ms: number) => new Date(ms).toLocaleTimeString(state.locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const message = !problem ? undefined
    : problem.kind === 'wrong' ? t.wrongPin
    : problem.kind === 'locked' ? words.locked(time(problem.until))
    : problem.kind === 'no-pin' ? words.noPin(storeId)
    : t.failed;
  const closed = problem?.kind === 'locked' || problem?.kind === 'no-pin';
  return (
    <section class="manager-pin" aria-labelledby="manager-pin-title" data-problem={problem?.kind}>
      <h1 id="manager-pin-title" class="manager-pin__title">{t.pinTitle}</h1>
      <p class="manager-pin__hint">{t.pinHint}</p>
      <output class="manager-pin__dots" aria-label={t.pinLabel} data-length={code.length}>
        {Array.from({ length: Math.max(DOTS, code.length) }, (_, i) => <span class={i < code.length ? 'manager-pin__dot manager-pin__dot--on' : 'manager-pin__dot'} />)}
      </output>
      {message && <p id="manager-pin-error" class="manager-pin__error" role="alert">{message}</p>}
      {problem?.kind === 'wrong' && <p class="manager-pin__tries">{words.triesLeft(problem.triesLeft)}</p>}
      <div class="manager-pin__keys">
        {KEYS.map((k) => (
          <button type="button" class={k === 'clear' || k === 'back' ? 'secondary' : ''} data-key={k} disabled={closed} onClick={() => press(k)}>
            {k === 'clear' ? t.clear : k === 'back' ? '⌫' : k}
          </button>
        ))}
      </div>
      <div class="manager-pin__actions">
        <button type="button" class="secondary" onClick={onExit}>{t.exit}</button>
        {/* Not disabled by what the state shows: keys may have been pressed faster than it renders (`typed` knows). */}
        <button type="button" data-key="enter" onClick={() => void check(typed.current)} disabled={busy || closed} aria-disabled={!code}>{t.open}</button>
      </div>
    </section>
  );
}
