// `larder rules <baskets file> --support S --confidence C [--json]`: association rules over a baskets feed (DESIGN.md).
import { mineRules } from '../core/insights/rules.ts';
import { parseArgs } from './args.ts';
import { readChunks } from './files.ts';

/** Split one CSV line into fields (RFC 4180 quotes within a line; feed rows never span lines). */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let field = '', quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') { if (line[i + 1] === '"') { field += '"'; i++; } else quoted = false; } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { out.push(field); field = ''; } else field += ch;
  }
  out.push(field);
  return out;
}

/** Stream a CSV(.gz) file and call `onRow` with the named columns of each data row; returns the row count,
 * or a message when a column is missing. */
export async function readColumns(
  path: string, names: readonly string[], onRow: (values: string[], line: number) => void,
): Promise<{ rows: number } | { error: string }> {
  let header: number[] | undefined;
  let rest = '', lineNo = 0, rows = 0;
  const take = (raw: string): string | undefined => {
    lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!line) return undefined;
    const fields = splitCsvLine(line);
    if (!header) {
      const trimmed = fields.map((f, k) => (k === 0 ? f.replace(/^\uFEFF/, '') : f).trim());
      header = names.map((n) => trimmed.indexOf(n));
      const missing = names.filter((_, k) => header![k]! < 0);
      return missing.length ? `${path}: missing column ${missing.join(', ')}` : undefined;
    }
    onRow(header.map((k) => fields[k] ?? ''), lineNo);
    rows++;
    return undefined;
  };
  for await (const chunk of readChunks(path)) {
    const text = rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const problem = take(text.slice(start, nl));
      if (problem) return { error: problem };
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest) { const problem = take(rest); if (problem) return { error: problem }; }
  if (!header) return { error: `${path}: empty file` };
  return { rows };
}

/** Run `larder rules`; exit 0 on success, 2 on bad arguments or unreadable input. */
export async function run(args: string[]): Promise<number> {
  const a = parseArgs(args, ['support', 'confidence', 'max-length']);
  const file = a.positionals[0];
  const support = Number(a.values.get('support'));
  const confidence = Number(a.values.get('confidence'));
  const maxLength = a.values.has('max-length') ? Number(a.values.get('max-length')) : 10;
  if (!file || !(support > 0 && support <= 1) || !(confidence >= 0 && confidence <= 1) || !(maxLength >= 2)) {
    console.error('usage: larder rules <baskets file> --support S --confidence C [--max-length K] [--json]  (0 < S ≤ 1, 0 ≤ C ≤ 1)');
    return 2;
  }
  // Dense ids for products and baskets while streaming; a basket's items kept as they come.
  const productIds = new Map<string, number>(), names: string[] = [];
  const basketIds = new Map<string, number>(), baskets: number[][] = [];
  let read;
  try {
    read = await readColumns(file, ['basket_id', 'product_id'], ([basket, product]) => {
      let p = productIds.get(product!);
      if (p === undefined) { p = names.length; productIds.set(product!, p); names.push(product!); }
      let b = basketIds.get(basket!);
      if (b === undefined) { b = baskets.length; basketIds.set(basket!, b); baskets.push([]); }
      baskets[b]!.push(p);
    });
  } catch (e) {
    console.error(`${file}: ${(e as Error).message}`);
    return 2;
  }
  if ('error' in read) { console.error(read.error); return 2; }

  const rules = mineRules(baskets, names.length, { minSupport: support, minConfidence: confidence, maxLength });
  const out: string[] = [];
  if (a.flags.has('json')) {
    for (const r of rules) {
      out.push(JSON.stringify({ lhs: r.lhs.map((i) => names[i]!).sort(), rhs: [names[r.rhs]], support: r.support, confidence: r.confidence, lift: r.lift }));
    }
    out.push(JSON.stringify({ rules: rules.length }));
  } else {
    const rows = rules.map((r) => [`{${r.lhs.map((i) => names[i]!).sort().join(', ')}} => {${names[r.rhs]}}`,
      r.support.toFixed(6), r.confidence.toFixed(4), r.lift.toFixed(3), String(r.count)]);
    const head = ['rule', 'support', 'confidence', 'lift', 'count'];
    const width = head.map((h, k) => Math.max(h.length, ...rows.map((row) => row[k]!.length)));
    const fmt = (row: string[]) => row.map((c, k) => (k === 0 ? c.padEnd(width[k]!) : c.padStart(width[k]!))).join('  ');
    out.push(fmt(head), ...rows.map(fmt));
    out.push(`${rules.length} rules from ${baskets.length} baskets, ${names.length} products (support ≥ ${support}, confidence ≥ ${confidence})`);
  }
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}
