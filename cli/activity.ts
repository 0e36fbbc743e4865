// `larder activity <baskets file> [--end yyyy-mm-dd] [--json]`: the BG/NBD fit of member activity (DESIGN.md).
import { fitBgNbd, summarisePurchases } from '../core/insights/activity.ts';
import { formatDay, parseDay } from '../core/dates.ts';
import { parseArgs } from './args.ts';
import { readColumns } from './rules.ts';

/** A dataset date: `yyyy-mm-dd` / ISO date-time, or a plain day number (some datasets use positions). */
function toDay(text: string): number | undefined {
  return /^-?\d+$/.test(text.trim()) ? Number(text) : parseDay(text);
}

/** Run `larder activity`; exit 0 on success, 2 on bad arguments or unreadable input. */
export async function run(args: string[]): Promise<number> {
  const a = parseArgs(args, ['end']);
  const file = a.positionals[0];
  const endText = a.values.get('end');
  const endArg = endText === undefined ? undefined : toDay(endText);
  if (!file || (endText !== undefined && endArg === undefined)) {
    console.error('usage: larder activity <baskets file> [--end yyyy-mm-dd] [--json]');
    return 2;
  }
  const memberIds = new Map<string, number>();
  const members: number[] = [], days: number[] = [];
  let bad = 0, firstBad = '';
  let read;
  try {
    read = await readColumns(file, ['member_id', 'date'], ([memberId, date], line) => {
      const d = toDay(date!);
      if (d === undefined) { if (!bad++) firstBad = `line ${line}: bad date "${date}"`; return; }
      let m = memberIds.get(memberId!);
      if (m === undefined) { m = memberIds.size; memberIds.set(memberId!, m); }
      members.push(m); days.push(d);
    });
  } catch (e) {
    console.error(`${file}: ${(e as Error).message}`);
    return 2;
  }
  if ('error' in read) { console.error(read.error); return 2; }
  if (bad) console.error(`${file}: ${bad} rows skipped (${firstBad})`);
  if (!days.length) { console.error(`${file}: no purchases`); return 2; }
  let last = days[0]!;
  for (const d of days) if (d > last) last = d;
  const end = endArg ?? last;

  const summary = summarisePurchases(Int32Array.from(members), Int32Array.from(days), memberIds.size, end, 7);
  const fit = fitBgNbd(summary);
  const { r, alpha, a: pa, b } = fit.params;
  if (a.flags.has('json')) {
    process.stdout.write(JSON.stringify({ r, alpha, a: pa, b, members: fit.members, loglik: fit.loglik }) + '\n');
  } else {
    let repeats = 0;
    for (const x of summary.x) repeats += x;
    process.stdout.write([
      `BG/NBD fit, time in weeks, calibration end ${formatDay(end)}`,
      `members ${fit.members}, repeat transactions ${repeats}`,
      `r ${r.toFixed(4)}  alpha ${alpha.toFixed(4)}  a ${pa.toFixed(4)}  b ${b.toFixed(4)}`,
      `log-likelihood ${fit.loglik.toFixed(3)}${fit.converged ? '' : ' (not converged)'}`,
    ].join('\n') + '\n');
  }
  return 0;
}
