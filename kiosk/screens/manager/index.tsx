// Manager screen behind a PIN: visits by day × hour, campaign results against their control groups, age bands,
// households, category shares, churn warnings, bought-together category rules, the BG/NBD fit, the manufacturer
// report, feed import with rejected rows, and the kiosk's storage status. Loaded with import().
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import type { Insights } from '../../../core/insights/insights.ts';
import type { Band } from '../../../core/insights/patterns.ts';
import { getEngine } from '../../../worker/api.ts';
import { KioskContext } from '../../state.ts';
import { kioskStrings as strings } from '../../../i18n/kiosk.ts';
import { mediumDate as date, percent, wholeMoney as money } from '../../../i18n/format.ts';
import type { KioskTranslation } from '../../../i18n/translation.ts';
import { barChart, type Bars } from './charts.ts';
import { CampaignResults } from './campaigns.tsx';
import { ManufacturerTable } from './report.tsx';
import { FeedImport } from './import.tsx';
import { StorageStatusView } from './storage.tsx';
import { HqFeedPanel } from './hq-feed.tsx';
import { SpendWarning } from './spend-warning.tsx';
import { Activity } from './activity.tsx';
import { ChurnTable } from './churn.tsx';
import { RuleTables } from './rules.tsx';
import './style.css';

/** Where a store may set its own manager PIN (localStorage); without it the PIN is {@link DEFAULT_MANAGER_PIN}. */
export const MANAGER_PIN_KEY = 'larder.manager-pin';
/** The PIN of a kiosk whose store has not set one. */
export const DEFAULT_MANAGER_PIN = '2468';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;
const CHURN_ROWS = 15;
const CATEGORY_BARS = 10;

type T = KioskTranslation;

/** The manager screen: a PIN pad first, then the store's insights. */
export function Manager({ onExit, pin = localStorage.getItem(MANAGER_PIN_KEY) ?? DEFAULT_MANAGER_PIN }: { onExit: () => void; pin?: string }) {
  const [open, setOpen] = useState(false);
  return open ? <StoreInsights onExit={onExit} /> : <PinPad pin={pin} onOpen={() => setOpen(true)} onExit={onExit} />;
}

function PinPad({ pin, onOpen, onExit }: { pin: string; onOpen: () => void; onExit: () => void }) {
  const { state } = useContext(KioskContext);
  const t = strings(state.locale).manager;
  const [code, setCodeState] = useState('');
  const [wrong, setWrong] = useState(false);
  // Keys can arrive faster than renders (a keyboard burst): the typed code lives in a ref, the state only shows it.
  const typed = useRef('');
  const setCode = (c: string) => { typed.current = c; setCodeState(c); };
  const check = (attempt: string) => {
    if (attempt === pin) return onOpen();
    setWrong(true);
    setCode('');
  };
  const press = (key: string) => {
    if (key === 'clear') return setCode('');
    if (key === 'back') return setCode(typed.current.slice(0, -1));
    if (key === 'enter') return check(typed.current);
    if (!/^\d$/.test(key)) return;
    setWrong(false);
    const next = (typed.current + key).slice(0, 12);
    // A PIN of the right length is checked at once: one less tap on a touch screen.
    if (next.length === pin.length) check(next);
    else setCode(next);
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
  return (
    <section class="manager-pin" aria-labelledby="manager-pin-title">
      <h1 id="manager-pin-title" class="manager-pin__title">{t.pinTitle}</h1>
      <p class="manager-pin__hint">{t.pinHint}</p>
      <output class="manager-pin__dots" aria-label={t.pinLabel} data-length={code.length}>
        {Array.from({ length: Math.max(pin.length, code.length) }, (_, i) => <span class={i < code.length ? 'manager-pin__dot manager-pin__dot--on' : 'manager-pin__dot'} />)}
      </output>
      {wrong && <p id="manager-pin-error" class="manager-pin__error" role="alert">{t.wrongPin}</p>}
      <div class="manager-pin__keys">
        {KEYS.map((k) => (
          <button type="button" class={k === 'clear' || k === 'back' ? 'secondary' : ''} data-key={k} onClick={() => press(k)}>
            {k === 'clear' ? t.clear : k === 'back' ? '⌫' : k}
          </button>
        ))}
      </div>
      <div class="manager-pin__actions">
        <button type="button" class="secondary" onClick={onExit}>{t.exit}</button>
        <button type="button" onClick={() => check(typed.current)} disabled={!code}>{t.open}</button>
      </div>
    </section>
  );
}

function StoreInsights({ onExit }: { onExit: () => void }) {
  const { state } = useContext(KioskContext);
  const { locale } = state;
  const t = strings(locale).manager;
  const [report, setReport] = useState<Insights | 'failed'>();
  // Bumped after a feed import: every panel reads the store again.
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    getEngine().insights().then((r) => live && setReport(r), () => live && setReport('failed'));
    return () => { live = false; };
  }, [version]);
  const head = (
    <header class="manager__head">
      <div>
        <h1>{t.title}</h1>
        {report && report !== 'failed' && (
          <p class="manager__summary">{t.summary(date(report.asOfDay, locale), report.patterns.baskets, money(report.patterns.spendCents, locale))}</p>
        )}
      </div>
      <button type="button" class="secondary" onClick={onExit}>{t.exit}</button>
    </header>
  );
  if (!report) return <section class="manager">{head}<p class="kiosk-status" role="status">{t.loading}</p></section>;
  if (report === 'failed') return <section class="manager">{head}<p class="manager__error" role="alert">{t.failed}</p></section>;
  const p = report.patterns;
  const bandBars = (bands: Band[]): Bars => ({
    labels: bands.map((b) => (b.label === 'unknown' ? t.unknown : b.label)),
    values: bands.map((b) => b.visits),
    detail: (i) => t.bandDetail(bands[i]!.members, money(bands[i]!.spendCents, locale)),
  });
  const shares = p.categories.slice(0, CATEGORY_BARS);
  return (
    <section class="manager">
      {head}
      <SpendWarning key={version} locale={locale} t={t} />
      <div class="manager__grid">
        <article class="manager__panel manager__panel--wide">
          <h2>{t.heatMap}</h2>
          <HeatMap visits={p.byWeekdayHour.visits} unknownHour={p.byWeekdayHour.unknownHour} t={t} />
        </article>
        <article class="manager__panel manager__panel--wide manager__panel--campaigns">
          <h2>{t.campaigns}</h2>
          <CampaignResults key={version} t={t} locale={locale} />
        </article>
        <article class="manager__panel">
          <h2>{t.ageBands}</h2>
          <BarChart name="age-bands" bars={{ ...bandBars(p.byAgeBand.filter((b) => b.label !== 'unknown' || b.visits > 0)) }} />
        </article>
        <article class="manager__panel">
          <h2>{t.households}</h2>
          <BarChart name="households" bars={{ ...bandBars(p.byHouseholdSize.filter((b) => b.label !== 'unknown' || b.visits > 0)), color: '#2f6f9f' }} />
        </article>
        <article class="manager__panel">
          <h2>{t.categories}</h2>
          <BarChart
            name="categories"
            tall={shares.length > 6}
            bars={{
              labels: shares.map((c) => c.category.charAt(0).toUpperCase() + c.category.slice(1)),
              values: shares.map((c) => c.share),
              horizontal: true,
              format: (v) => percent(v, locale),
              detail: (i) => [money(shares[i]!.spendCents, locale)],
              color: '#c0772b',
            }}
          />
        </article>
        <article class="manager__panel">
          <h2>{t.activity}</h2>
          <Activity report={report} t={t} locale={locale} />
        </article>
        <article class="manager__panel manager__panel--wide">
          <h2>{t.churn} <small>{report.churn.length > 0 && t.churnCount(Math.min(CHURN_ROWS, report.churn.length), report.churn.length)}</small></h2>
          <ChurnTable report={report} t={t} locale={locale} rows={CHURN_ROWS} />
        </article>
        <article class="manager__panel manager__panel--wide">
          <h2>{t.rules}</h2>
          <RuleTables report={report} t={t} locale={locale} />
        </article>
        <article class="manager__panel manager__panel--wide manager__panel--report">
          <h2>{t.report}</h2>
          <ManufacturerTable key={version} t={t} locale={locale} />
        </article>
        <article class="manager__panel manager__panel--wide manager__panel--import">
          <h2>{t.import}</h2>
          <FeedImport t={t} locale={locale} onImported={() => setVersion((v) => v + 1)} />
        </article>
        <article class="manager__panel manager__panel--wide manager__panel--hq">
          <h2>{t.hqFeed}</h2>
          <HqFeedPanel t={t} onSynced={() => setVersion((v) => v + 1)} />
        </article>
        <article class="manager__panel manager__panel--wide manager__panel--storage">
          <h2>{t.storage}</h2>
          <StorageStatusView t={t} locale={locale} />
        </article>
      </div>
    </section>
  );
}

function HeatMap({ visits, unknownHour, t }: { visits: number[][]; unknownHour: number[]; t: T['manager'] }) {
  const max = Math.max(1, ...visits.flat());
  // Only the hours the store sees visits in (opening hours), so each cell stays large enough to read.
  const used = Array.from({ length: 24 }, (_, h) => visits.some((row) => (row[h] ?? 0) > 0));
  const first = used.indexOf(true), last = used.lastIndexOf(true);
  const hours = first < 0 ? Array.from({ length: 24 }, (_, h) => h) : Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const noTime = unknownHour.reduce((s, n) => s + n, 0);
  return (
    <div class="manager-heat">
      <div class="manager-heat__grid" style={{ gridTemplateColumns: `4rem repeat(${hours.length}, 1fr)` }}>
        <span />
        {hours.map((h) => <span class="manager-heat__hour">{h % 2 === hours[0]! % 2 ? h : ''}</span>)}
        {t.weekdays.map((day, d) => [
          <span class="manager-heat__day">{day}</span>,
          ...hours.map((h) => {
            const n = visits[d]?.[h] ?? 0;
            const label = t.cell(day, h, n);
            const strength = n ? Math.round(12 + 88 * (n / max)) : 0;
            return (
              <span
                class="manager-heat__cell"
                data-day={d}
                data-hour={h}
                data-visits={n}
                title={label}
                aria-label={label}
                style={{ background: n ? `color-mix(in srgb, #1f7a4d ${strength}%, #f4f1ea)` : undefined }}
              />
            );
          }),
        ])}
      </div>
      <p class="manager-heat__legend">
        <span>{t.fewer}</span><span class="manager-heat__scale" /><span>{t.more}</span>
        {noTime > 0 && <span class="manager-heat__note">{t.noTime(noTime)}</span>}
      </p>
    </div>
  );
}

function BarChart({ name, bars, tall }: { name: string; bars: Bars; tall?: boolean }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const chart = barChart(canvas.current!, bars);
    return () => chart.destroy();
  }, [JSON.stringify(bars.labels), JSON.stringify(bars.values)]);
  return (
    <div class={tall ? 'manager__chart manager__chart--tall' : 'manager__chart'}>
      <canvas ref={canvas} class={`manager__canvas manager__canvas--${name}`} role="img" aria-label={bars.labels.map((l, i) => `${l}: ${bars.format ? bars.format(bars.values[i]!) : bars.values[i]}`).join(', ')} />
    </div>
  );
}
