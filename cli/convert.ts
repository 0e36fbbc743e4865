// `larder convert <transactions.csv[.gz]> --out <dir> …`: a retailer's transaction export (customer, date, product,
// and maybe basket, quantity, amount) written as the five feed files and a manifest, with placeholder members and
// products for every id it names, and a summary of what was made up. docs/real-data.md shows it end to end.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseDay } from '../core/dates.ts';
import { COMMAND_FLAGS, parseArgs } from './args.ts';
import { NOT_GZIP, NotGzipError, readChunks } from './files.ts';
import { readColumns, splitCsvLine } from './rules.ts';
import { FEED_HEADERS, TransactionConverter, csvLine, type ConvertSummary, type PositionDates, type SkipReason, type TransactionRow } from './transactions.ts';

type Role = keyof TransactionRow;

/** Column names tried for each role when no flag names it (compared without case). */
const GUESSES: Record<Role, readonly string[]> = {
  customer: ['customer_id', 'member_id', 'household_id', 'household_key', 'customer', 'cust_id', 'user_id', 'client_id'],
  date: ['date', 'transaction_date', 'transaction_timestamp', 'timestamp', 'order_date', 'day'],
  product: ['product_id', 'sku', 'item_id', 'article_id', 'product', 'item'],
  basket: ['basket_id', 'transaction_id', 'order_id', 'receipt_id', 'ticket_id'],
  qty: ['qty', 'quantity', 'units'],
  amount: ['amount', 'sales_value', 'sales', 'line_total', 'spend', 'value'],
};
const REQUIRED: readonly Role[] = ['customer', 'date', 'product'];
const ROLES: readonly Role[] = ['customer', 'date', 'product', 'basket', 'qty', 'amount'];

const SKIP_WORDS: Record<SkipReason, string> = {
  'no-customer': 'no customer id',
  'no-product': 'no product id',
  'not-a-date': 'date is not a real date',
  'date-is-a-position': 'date is a basket position, not a date (give --positions-start or --positions-end)',
  'not-a-position': 'date is not a basket position (a whole number)',
  'bad-qty': 'quantity is not a number above 0',
  'bad-amount': 'amount is not a number of 0 or more',
};

const usage = () => `usage: ${COMMAND_FLAGS.convert!.usage}`;

/** Run `larder convert`; exit 0 when written, 1 when rows were left out, 2 on bad arguments or unreadable input. */
export async function run(args: string[]): Promise<number> {
  const a = parseArgs(args, COMMAND_FLAGS.convert!.values);
  const file = a.positionals[0];
  const out = a.values.get('out');
  const amountUnit = a.values.get('amount-unit') ?? 'units';
  const defaultPriceCents = Number(a.values.get('default-price-cents') ?? 100);
  const consentText = a.values.get('consent') ?? 'false';
  const positions = positionDates(a.values);
  if (!file || !out || (amountUnit !== 'units' && amountUnit !== 'cents') || !(Number.isInteger(defaultPriceCents) && defaultPriceCents > 0)
    || (consentText !== 'true' && consentText !== 'false') || positions === 'bad') {
    console.error(usage());
    return 2;
  }
  let header: string[];
  try {
    header = await headerOf(file);
  } catch (e) {
    console.error(`${file}: ${e instanceof NotGzipError ? NOT_GZIP : (e as Error).message}`);
    return 2;
  }
  // Each role's column: named by its flag, or the first usual name the header has.
  const columns: Partial<Record<Role, string>> = {};
  for (const role of ROLES) {
    const named = a.values.get(role);
    const found = named ?? header.find((h) => GUESSES[role].includes(h.toLowerCase()));
    if (named !== undefined && !header.includes(named)) {
      console.error(`${file}: no column "${named}" (--${role}); the header has ${header.join(', ')}`);
      return 2;
    }
    if (found !== undefined) columns[role] = found;
  }
  const missing = REQUIRED.filter((r) => columns[r] === undefined);
  if (missing.length) {
    console.error(`${file}: no ${missing.join(', ')} column (name it with ${missing.map((r) => `--${r} COLUMN`).join(', ')}); the header has ${header.join(', ')}\n${usage()}`);
    return 2;
  }
  const converter = new TransactionConverter({
    amountUnit, defaultPriceCents, consent: consentText === 'true', ...(positions ? { positions } : {}),
  });
  const roles = ROLES.filter((r) => columns[r] !== undefined);
  const read = await readColumns(file, roles.map((r) => columns[r]!), (values, line) => {
    const row = Object.fromEntries(roles.map((r, i) => [r, values[i]!])) as unknown as TransactionRow;
    converter.add(row, line);
  });
  if ('error' in read) {
    console.error(read.error);
    return 2;
  }
  const feeds = converter.finish();
  const s = feeds.summary;
  if (!s.lastDay) {
    console.error(`${file}: no row could be converted\n${describeSkips(s).join('\n')}`);
    return 2;
  }
  const csv = (head: readonly string[], rows: string[][]) => `${[head, ...rows].map(csvLine).join('\n')}\n`;
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'products.csv'), csv(FEED_HEADERS.products, feeds.products));
  await writeFile(join(out, 'members.csv'), csv(FEED_HEADERS.members, feeds.members));
  await writeFile(join(out, 'deals.csv'), csv(['deal_id', 'scope_type', 'scope', 'kind', 'value', 'start', 'end', 'funder'], []));
  await writeFile(join(out, 'content.json'), '[]\n');
  await writeFile(join(out, 'baskets.csv.gz'), gzipSync(csv(FEED_HEADERS.baskets, feeds.baskets), { level: 6 }));
  const files = ['products.csv', 'members.csv', 'deals.csv', 'content.json', 'baskets.csv.gz'];
  await writeFile(join(out, 'manifest.json'), `${JSON.stringify({
    endDate: s.lastDay, files,
    counts: { products: s.products, members: s.members, baskets: s.baskets, lines: s.lines },
    convertedFrom: { file, columns, ...(positions ? { positions: { from: positions.from, everyDays: positions.everyDays, day: a.values.get(`positions-${positions.from}`) } } : {}) },
  }, null, 1)}\n`);
  const report = [
    `wrote ${out}: ${files.join(', ')}, manifest.json (endDate ${s.lastDay}: the kiosk's "today" is the day after)`,
    `read ${s.rows.toLocaleString('en')} rows (columns: ${roles.map((r) => `${r}=${columns[r]}`).join(', ')})`,
    `created ${s.members.toLocaleString('en')} placeholder members (card codes 29…, consent_personalise=${consentText}${consentText === 'true' ? ': only if your members agreed to personalised lists' : ''})`,
    `created ${s.products.toLocaleString('en')} placeholder products ("Product <id>", category uncategorised): ${s.pricedFromAmounts.toLocaleString('en')} priced at the median unit price of their lines, ${s.pricedByDefault.toLocaleString('en')} at the default ${defaultPriceCents} cents`,
    `wrote ${s.baskets.toLocaleString('en')} baskets, ${s.lines.toLocaleString('en')} lines from ${s.firstDay} to ${s.lastDay}${s.linesWithoutPrice ? ` (${s.linesWithoutPrice.toLocaleString('en')} lines without a price: the import prices them at the shelf price)` : ''}`,
    ...(positions ? [`dates: the export's dates are basket positions; each member's ${positions.from === 'start' ? 'first' : 'last'} basket is on ${a.values.get(`positions-${positions.from}`)}, one basket every ${positions.everyDays} days ${positions.from === 'start' ? 'after' : 'before'} it`] : []),
    ...describeSkips(s),
  ];
  if (a.flags.has('json')) process.stdout.write(`${JSON.stringify({ out, files, columns, ...s })}\n`);
  console.error(report.join('\n'));
  return Object.keys(s.skipped).length ? 1 : 0;
}

/** The positions flags, undefined when not given, 'bad' when malformed. */
function positionDates(values: Map<string, string>): PositionDates | undefined | 'bad' {
  const start = values.get('positions-start'), end = values.get('positions-end');
  const every = Number(values.get('positions-every') ?? 7);
  if (start === undefined && end === undefined) return values.has('positions-every') ? 'bad' : undefined;
  if (start !== undefined && end !== undefined) return 'bad';
  const day = parseDay(start ?? end!);
  if (day === undefined || !(Number.isInteger(every) && every > 0)) return 'bad';
  return { from: start !== undefined ? 'start' : 'end', day, everyDays: every };
}

/** The export's header names (first line, quotes and a byte-order mark removed). */
async function headerOf(file: string): Promise<string[]> {
  let text = '';
  for await (const chunk of readChunks(file)) {
    text += chunk;
    if (text.includes('\n')) break;
  }
  const first = text.split('\n', 1)[0]!.replace(/\r$/, '').replace(/^\uFEFF/, '');
  return splitCsvLine(first).map((h) => h.trim());
}

function describeSkips(s: ConvertSummary): string[] {
  return Object.entries(s.skipped).map(([reason, k]) =>
    `left out ${k.count.toLocaleString('en')} rows: ${SKIP_WORDS[reason as SkipReason]}, e.g. line ${k.firstLine} '${k.value}'`);
}
