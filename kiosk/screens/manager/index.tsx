// Manager screen behind a PIN: visits by day × hour, campaign results against their control groups, age bands,
// households, category shares, churn warnings, bought-together category rules, the BG/NBD fit, the manufacturer
// report, feed import with rejected rows, and the kiosk's storage status. Loaded with import().
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import type { StoreInsights as Insights } from '../../../worker/engine/manager.ts';
import type { Band } from '../../../core/insights/patterns.ts';
import { getEngine, type LinkView } from '../../../worker/api.ts';
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
import { PinPad } from './pin.tsx';
import { EnrolPanel } from './enrol.tsx';
import { SpendWarning } from './spend-warning.tsx';
import { Activity } from './activity.tsx';
import { ChurnTable } from './churn.tsx';
import { RuleTables } from './rules.tsx';
import './style.css';

const CHURN_ROWS = 15;
const CATEGORY_BARS = 10;

type T = KioskTranslation;

/** The manager screen: on a kiosk not yet enrolled, "Enrol this kiosk" (the code is the credential: there is no PIN
 * before headquarters sends one); then headquarters' PIN; then the store's insights. */
export function Manager({ onExit }: { onExit: () => void }) {
  const { state } = useContext(KioskContext);
  const t = strings(state.locale).manager;
  const [link, setLink] = useState<LinkView | 'failed'>();
  const [open, setOpen] = useState(false);
  useEffect(() => { void getEngine().deviceLink().then(setLink, () => setLink('failed')); }, []);
  if (!link) return <p class="kiosk-status" role="status" style="text-align:center;margin-top:3rem">{t.loading}</p>;
  if (link === 'failed') return <p class="manager__error" role="alert" style="text-align:center;margin-top:3rem">{t.failed}</p>;
  if (!link.enrolled) {
    return (
      <section class="manager-pin manager-enrol-first" aria-labelledby="manager-enrol-title">
        <h1 id="manager-enrol-title" class="manager-pin__title">{t.enrol.title}</h1>
        <EnrolPanel t={t} link={link} onEnrolled={setLink} />
        <div class="manager-pin__actions"><button type="button" class="secondary" onClick={onExit}>{t.exit}</button></div>
      </section>
    );
  }
  return open ? <StoreInsights onExit={onExit} link={link} onLink={setLink} /> : <PinPad storeId={link.storeId ?? ''} onOpen={() => setOpen(true)} onExit={onExit} />;
}

function StoreInsights({ onExit, link, onLink }: { onExit: () => void; link: LinkView; onLink: (l: LinkView) => void }) {
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
        {report && report !== 'failed' && (report.patternsFrom === 'headquarters' || report.patternsFallback) && (
          <p class="manager__note manager__patterns-from" data-source={report.patternsFrom}>{t.patternsFrom[report.patternsFrom]}</p>
        )}
      </div>
      <button type="button" class="secondary" onClick={onExit}>{t.exit}</button>
    </header>
  );
  if (!report) return <section class="manager">{head}<p class="kiosk-status" role="status">{t.loading}</p></section>;
  if (report === 'failed') return <section class="manager">{head}<p class="manager__error" role="alert">{t.failed}</p></section>;
  const p = report.patterns;
  const bandBars = (bands: Band[]): Bars => ({
    // A band headquarters withheld (under 10 members) keeps its place, its counts not shown.
    labels: bands.map((b) => `${b.label === 'unknown' ? t.unknown : b.label}${b.suppressed ? ' (<10)' : ''}`),
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
          {link.fromHq
            ? <p class="manager__note manager-import__from-hq">{t.importAtHq}</p>
            : <FeedImport t={t} locale={locale} onImported={() => setVersion((v) => v + 1)} />}
        </article>
        <article class="manager__panel manager__panel--wide manager__panel--enrol">
          <h2>{t.enrol.title}</h2>
          <EnrolPanel t={t} link={link} onEnrolled={(l) => { onLink(l); setVersion((v) => v + 1); }} />
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
