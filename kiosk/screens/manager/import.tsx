// Feed import on the kiosk: choose or drop feed files (the kind comes from the name), watch the progress (rows, rows
// per second, percent), then see what was accepted and rejected, with every rejected row (file, line, field, why) and
// an "Export CSV" of them for whoever fixes the feed.
import { useRef, useState } from 'preact/hooks';
// The feed's kind from its name only: schemas.ts, not the feeds' front door, which would pull papaparse into the page.
import { feedFromName } from '../../../core/feeds/schemas.ts';
import { callback, getEngine, isStorageFull, type ImportProgress, type ImportSummary, type RejectedRow } from '../../../worker/api.ts';
import type { Locale, ManagerTranslation } from '../../../i18n/translation.ts';
import { percent } from '../../../i18n/format.ts';
import { rowErrorText } from '../../../i18n/rows.ts';
import { RejectGroupList } from './reject-groups.tsx';

type T = ManagerTranslation;

/** Rejected rows shown on screen; the CSV export holds them all. */
const REJECT_ROWS = 200;

/** Merge CSV exports that each start with the same header line. */
const mergeCsv = (parts: string[]) => parts.map((p, i) => (i ? p.slice(p.indexOf('\n') + 1) : p)).join('');

/** The feed import panel's body. */
export function FeedImport({ t, locale, onImported }: { t: T; locale: Locale; onImported?: () => void }) {
  const [progress, setProgress] = useState<ImportProgress>();
  const [busy, setBusy] = useState(false);
  const [summaries, setSummaries] = useState<ImportSummary[]>([]);
  const [unknown, setUnknown] = useState<string[]>([]);
  const [notGzip, setNotGzip] = useState<string[]>([]);
  const [fromHq, setFromHq] = useState<string[]>([]);
  const [rejects, setRejects] = useState<RejectedRow[]>([]);
  const [dragging, setDragging] = useState(false);
  const [csvUrl, setCsvUrl] = useState<string>();
  /** A file whose import stopped with the engine failing (storage full, most likely), and why. */
  const [stopped, setStopped] = useState<{ file: string; full: boolean }>();
  const input = useRef<HTMLInputElement>(null);
  const download = useRef<HTMLAnchorElement>(null);

  const importFiles = async (files: File[]) => {
    if (!files.length || busy) return;
    setBusy(true);
    setSummaries([]);
    setRejects([]);
    setUnknown(files.filter((f) => !feedFromName(f.name)).map((f) => f.name));
    setNotGzip([]);
    setFromHq([]);
    setStopped(undefined);
    if (csvUrl) URL.revokeObjectURL(csvUrl);
    setCsvUrl(undefined);
    const engine = getEngine();
    const done: ImportSummary[] = [];
    // Products and members first: baskets refer to them.
    const order = ['products', 'members', 'deals', 'content', 'baskets'];
    const feeds = files.filter((f) => feedFromName(f.name))
      .sort((a, b) => order.indexOf(feedFromName(a.name)!.kind) - order.indexOf(feedFromName(b.name)!.kind));
    let current = '';
    try {
      for (const file of feeds) {
        current = file.name;
        setProgress({ file: file.name, kind: feedFromName(file.name)!.kind, lines: 0, rows: 0, accepted: 0, rejected: 0, fraction: 0, rowsPerSecond: 0 });
        const result = await engine.importFile(file.name, file, callback((p: ImportProgress) => setProgress(p)));
        if (result.ok) done.push(result.value);
        else if (result.error === 'not-gzip') setNotGzip((names) => [...names, file.name]);
        else if (result.error === 'device-has-store') setFromHq((names) => [...names, file.name]);
        setSummaries([...done]);
      }
      const rows: RejectedRow[] = [];
      for (const s of done) if (s.rejected > 0 && rows.length < REJECT_ROWS) rows.push(...await engine.rejectedRows({ importId: s.importId, limit: REJECT_ROWS - rows.length }));
      setRejects(rows);
    } catch (e) {
      setStopped({ file: current, full: isStorageFull(e) });
    } finally {
      setProgress(undefined);
      setBusy(false);
      onImported?.();
    }
  };

  const exportCsv = async () => {
    const engine = getEngine();
    const parts = await Promise.all(summaries.filter((s) => s.rejected > 0).map((s) => engine.rejectedRowsCsv(s.importId)));
    const url = URL.createObjectURL(new Blob([mergeCsv(parts)], { type: 'text/csv;charset=utf-8' }));
    if (csvUrl) URL.revokeObjectURL(csvUrl);
    setCsvUrl(url);
    // The link is rendered with the new URL on the next frame; click it then so the browser saves the file.
    requestAnimationFrame(() => download.current?.click());
  };

  const rejected = summaries.reduce((n, s) => n + s.rejected, 0);
  return (
    <div class="manager-import">
      <div
        class={dragging ? 'manager-import__drop manager-import__drop--over' : 'manager-import__drop'}
        onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => { e.preventDefault(); setDragging(false); void importFiles([...(e.dataTransfer?.files ?? [])]); }}
      >
        <span>{t.importHint}</span>{' '}
        <button type="button" class="secondary" disabled={busy} onClick={() => input.current?.click()}>{t.chooseFiles}</button>
        <input
          ref={input}
          type="file"
          multiple
          accept=".csv,.ndjson,.jsonl,.json,.gz"
          class="manager-import__input"
          aria-label={t.chooseFiles}
          onChange={(e) => { const el = e.currentTarget; void importFiles([...(el.files ?? [])]).then(() => { el.value = ''; }); }}
        />
      </div>
      {progress && (
        <div class="manager-import__progress" role="status">
          <span>{t.importing(progress.file)}</span>
          <progress max={1} value={progress.fraction ?? 0} />
          <span class="manager-import__rate">
            {t.progress(progress.rows, progress.rowsPerSecond)}{progress.fraction !== undefined && ` · ${percent(progress.fraction, locale)}`}
          </span>
        </div>
      )}
      {unknown.map((name) => <p class="manager__error manager-import__unknown">{t.unknownFeed(name)}</p>)}
      {notGzip.map((name) => <p class="manager__error manager-import__not-gzip">{t.notGzip(name)}</p>)}
      {fromHq.map((name) => <p class="manager__error manager-import__from-hq" role="alert">{t.fromHeadquarters(name)}</p>)}
      {stopped && <p class="manager__error manager-import__stopped" role="alert">{t.importStopped(stopped.file, stopped.full)}</p>}
      {summaries.length > 0 && (
        <ul class="manager-import__summaries">
          {summaries.map((s) => (
            <li data-file={s.file} data-accepted={s.accepted} data-rejected={s.rejected} class={s.rejected ? 'manager-import__summary manager-import__summary--rejects' : 'manager-import__summary'}>
              {t.imported(s.file, s.accepted, s.rejected, s.duplicates)}
              {s.shelfPriced > 0 && <span class="manager-import__shelf-priced"> · {t.shelfPriced(s.shelfPriced)}</span>}
            </li>
          ))}
        </ul>
      )}
      {rejected > 0 && (
        <div class="manager-import__rejects">
          <div class="manager-import__rejects-head">
            <strong>{t.rejectedRows(rejected)}</strong>
            <button type="button" class="secondary manager-import__export" onClick={() => void exportCsv()}>{t.exportCsv}</button>
            {csvUrl && <a ref={download} class="manager-import__download" href={csvUrl} download="rejected-rows.csv">rejected-rows.csv</a>}
          </div>
          <RejectGroupList summaries={summaries} locale={locale} t={t} />
          <details class="manager-rejects__each">
          <summary>{t.everyRejectedRow(rejects.length)}</summary>
          <table class="manager-table manager-rejects">
            <thead><tr><th>{t.rejectCols.file}</th><th class="manager-table__num">{t.rejectCols.line}</th><th>{t.rejectCols.field}</th><th>{t.rejectCols.message}</th></tr></thead>
            <tbody>
              {rejects.map((r) => (
                <tr data-line={r.line}>
                  <td>{r.file}</td>
                  <td class="manager-table__num">{r.line}</td>
                  <td class="manager-rejects__field">{r.field ?? ''}</td>
                  <td>{rowErrorText(r, locale)}{r.value !== undefined && <small> — “{r.value}”</small>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </details>
        </div>
      )}
    </div>
  );
}
