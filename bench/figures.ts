// One benchmark figure, printed as a table row or (with --json) one JSON object per line.

/** A measured figure, with the baseline measured in the same run where one applies. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  baselineName?: string;
  /** value / baseline (below 1 means faster or smaller than the baseline for times and sizes). */
  ratio?: number;
  /** The baseline was stopped unfinished: its value is a lower bound, the ratio an upper bound. */
  baselineAtLeast?: boolean;
  target?: string;
  note?: string;
}

/** Make a figure, computing the ratio when a baseline is given. */
export function figure(name: string, value: number, unit: string, extra: Omit<Figure, 'name' | 'value' | 'unit' | 'ratio'> = {}): Figure {
  const f: Figure = { name, value: round(value), unit, ...extra };
  if (extra.baseline !== undefined) f.baseline = round(extra.baseline);
  if (extra.baseline) f.ratio = round(value / extra.baseline);
  return f;
}

const round = (x: number) => (Math.abs(x) >= 100 ? Math.round(x * 10) / 10 : Math.round(x * 1000) / 1000);

/** Median and 95th percentile of samples. */
export function quantiles(samples: number[]): { median: number; p95: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { median: at(0.5), p95: at(0.95) };
}

/** Print figures as they come. */
export function printer(json: boolean) {
  return (f: Figure) => {
    if (json) console.log(JSON.stringify(f));
    else {
      const [more, less] = f.baselineAtLeast ? ['> ', '< '] : ['', ''];
      const base = f.baseline === undefined ? '' : `  (baseline ${f.baselineName ?? ''} ${more}${f.baseline} ${f.unit}, ratio ${less}${f.ratio})`;
      console.log(`${f.name.padEnd(34)} ${String(f.value).padStart(10)} ${f.unit.padEnd(8)}${base}${f.target ? `  target ${f.target}` : ''}${f.note ? `  — ${f.note}` : ''}`);
    }
  };
}
