import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { KioskContext } from '../../state.ts';
import { kioskStrings as strings } from '../../../i18n/kiosk.ts';
import { lookup } from '../../../i18n/translation.ts';
import { CameraScan } from '../../components/camera-scan.tsx';
import './style.css';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;

/** Start screen: scan or type a club card. */
export function ScanCard({ onCard }: { onCard: (code: string) => void }) {
  const { state } = useContext(KioskContext);
  const t = strings(state.locale);
  const [code, setCode] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const error = state.screen.name === 'scan' ? state.screen.error : undefined;
  useEffect(() => input.current?.focus(), []);
  const press = (key: (typeof KEYS)[number]) => {
    if (key === 'clear') setCode('');
    else if (key === 'back') setCode((c) => c.slice(0, -1));
    else setCode((c) => (c + key).slice(0, 13));
    input.current?.focus();
  };
  const submit = (e: Event) => {
    e.preventDefault();
    if (code) onCard(code);
    setCode('');
  };
  return (
    <section class="scan-card">
      <h1 class="scan-card__title">{t.scanTitle}</h1>
      <p class="scan-card__hint">{t.scanHint}</p>
      <form class="scan-card__form" onSubmit={submit}>
        <label class="scan-card__label" for="card-code">{t.cardLabel}</label>
        <input id="card-code" ref={input} class="scan-card__input" inputMode="numeric" autocomplete="off" value={code}
          aria-invalid={error ? 'true' : 'false'} aria-describedby={error ? 'scan-error' : undefined}
          onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value.replace(/\D/g, '').slice(0, 13))} />
        {error && <p id="scan-error" class="scan-card__error" role="alert">{lookup(t.errors, error) ?? t.errors.failed}</p>}
        <div class="scan-card__keypad" role="group" aria-label={t.cardLabel}>
          {KEYS.map((k) => (
            <button type="button" class="secondary" key={k} onClick={() => press(k)} aria-label={k === 'back' ? '⌫' : k === 'clear' ? t.clear : k}>
              {k === 'back' ? '⌫' : k === 'clear' ? t.clear : k}
            </button>
          ))}
        </div>
        <button type="submit" class="scan-card__submit" disabled={!code}>{t.show}</button>
      </form>
      <CameraScan onScan={onCard} label={t.cameraScan.start} stopLabel={t.cameraScan.stop} failed={t.cameraScan.failed} />
    </section>
  );
}
