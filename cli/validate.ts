// `larder validate <files…> [--json] [--rejects out.csv]`: check feed files, report every rejected row (DESIGN.md "Command line").
import { access, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import {
  FEED_KINDS, createFeedParser, errorsToCsv, feedFromName,
  type FeedBatch, type FeedFormat, type FeedKind, type RowError, type ValidationContext, basketsAcrossFiles,
} from '../core/feeds/index.ts';
import { describeRowError, rowErrorText } from '../i18n/rows.ts';
import { parseArgs } from './args.ts';
import { NOT_GZIP, NotGzipError, readChunks } from './files.ts';

/** Errors printed per file in the readable report; --json and --rejects carry all of them. */
const SHOWN_PER_FILE = 100;

/** One file's line of the report, as `larder validate` prints it (headquarters' import reports the same). */
export interface FileSummary {
  file: string;
  kind: FeedKind;
  accepted: number;
  rejected: number;
  errors: number;
  lines: number;
  seconds: number;
}

/** Run `larder validate`; exit 0 when all is valid, 1 when anything is rejected, 2 on unreadable input. */
export async function run(args: string[]): Promise<number> {
  const a = parseArgs(args, ['rejects']);
  const json = a.flags.has('json');
  const out: string[] = [];
  const flush = () => {
    if (out.length) process.stdout.write(`${out.join('\n')}\n`);
    out.length = 0;
  };
  if (a.positionals.length === 0) {
    console.error('usage: larder validate <files…> [--json] [--rejects rejected.csv]\n  kinds from names: products*.csv, members*.json, baskets*.ndjson, deals*, content* (.csv, .ndjson, .jsonl, .json, .gz)');
    return 2;
  }
  let status = 0;
  const inputs: Array<{ path: string; kind: FeedKind; format: FeedFormat }> = [];
  for (const path of a.positionals) {
    // Whether the file is there comes first: a mistyped path is not a naming problem.
    const missing = await access(path).then(() => undefined, (e: NodeJS.ErrnoException) => e.code);
    if (missing) {
      console.error(missing === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read this file (${missing})`);
      status = 2;
      continue;
    }
    const feed = feedFromName(path);
    if (!feed) {
      console.error(`${path}: unknown feed kind (name it products*, members*, baskets*, deals* or content*, ending .csv, .ndjson or .json)`);
      status = 2;
      continue;
    }
    inputs.push({ path, ...feed });
  }
  // Ids first: products and members are validated before the rows that refer to them.
  inputs.sort((x, y) => FEED_KINDS.indexOf(x.kind) - FEED_KINDS.indexOf(y.kind));
  const given = new Set(inputs.map((i) => i.kind));
  const productIds = new Set<string>();
  const memberIds = new Set<string>();
  const ctx: ValidationContext = {
    hasProduct: given.has('products') ? (id) => productIds.has(id) : undefined,
    hasMember: given.has('members') ? (id) => memberIds.has(id) : undefined,
    seenBasket: basketsAcrossFiles(),
  };
  const summaries: FileSummary[] = [];
  const allErrors: RowError[] = [];
  const keepAll = a.values.has('rejects');
  for (const input of inputs) {
    const s: FileSummary = { file: input.path, kind: input.kind, accepted: 0, rejected: 0, errors: 0, lines: 0, seconds: 0 };
    const shown: RowError[] = [];
    const t0 = performance.now();
    const parser = createFeedParser(input.kind, input.format, input.path, ctx);
    const take = (b: FeedBatch<unknown>) => {
      s.accepted += b.rows.length;
      s.rejected += b.rejected;
      s.lines += b.lines;
      s.errors += b.errors.length;
      if (input.kind === 'products') for (const p of b.rows as Array<{ id: string }>) productIds.add(p.id);
      if (input.kind === 'members') for (const m of b.rows as Array<{ id: string }>) memberIds.add(m.id);
      for (const e of b.errors) {
        if (json) out.push(JSON.stringify({ file: e.file, line: e.line, field: e.field ?? null, message: describeRowError(e) }));
        else if (shown.length < SHOWN_PER_FILE) shown.push(e);
        if (keepAll) allErrors.push(e);
      }
      if (out.length > 1000) flush();
    };
    try {
      for await (const chunk of readChunks(input.path)) take(parser.push(chunk));
      take(parser.end());
    } catch (e) {
      console.error(e instanceof NotGzipError ? `${input.path}: ${NOT_GZIP}` : `${input.path}: cannot read this file (${(e as Error).message})`);
      status = 2;
      continue;
    }
    s.seconds = (performance.now() - t0) / 1000;
    summaries.push(s);
    if (!json) {
      const rate = s.lines >= 10_000 && s.seconds > 0 ? `, ${Math.round(s.lines / s.seconds).toLocaleString('en')} lines/s` : '';
      out.push(`${s.file} (${s.kind}): ${s.accepted.toLocaleString('en')} accepted, ${s.rejected.toLocaleString('en')} rejected` +
        ` — ${s.lines.toLocaleString('en')} lines in ${s.seconds.toFixed(2)} s${rate}`);
      for (const e of shown) out.push(`  line ${e.line}${e.field ? `, ${e.field}` : ''}: ${describeRowError(e)}`);
      if (s.errors > shown.length) out.push(`  … and ${s.errors - shown.length} more (use --json or --rejects for all)`);
    }
    flush();
  }
  if (json) for (const s of summaries) out.push(JSON.stringify({ file: s.file, kind: s.kind, accepted: s.accepted, rejected: s.rejected }));
  flush();
  const rejectsPath = a.values.get('rejects');
  if (rejectsPath) await writeFile(rejectsPath, errorsToCsv(allErrors, (e) => rowErrorText(e, 'en')));
  if (status === 0 && summaries.some((s) => s.errors > 0)) status = 1;
  return status;
}
