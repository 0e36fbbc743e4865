// Streaming CSV (RFC 4180, papaparse): complete records are cut from a carry-over by a quote-aware scanner that
// mirrors papaparse's own rules, so any chunking parses the same and line numbers stay physical.
import Papa from 'papaparse';
import type { FeedKind, FeedRow } from './schemas.ts';
import type { FeedBatch, FeedParser, RowSink } from './rows.ts';

const QUOTE = 34;
const COMMA = 44;
const LF = 10;

/** Whitespace papaparse allows between a closing quote and the comma or line end (String#trim's set, minus the line feed). */
const isGap = (c: number) => c === 32 || c === 9 || c === 11 || c === 12 || c === 13 || c === 160 || c === 0xfeff || (c >= 0x2000 && c <= 0x200a) || c === 0x3000;

/** A streaming CSV feed parser over a row sink. */
export function createCsvParser<K extends FeedKind>(sink: RowSink<K>): FeedParser<FeedRow<K>> {
  let buf = '';
  let started = false;
  let pendingCr = false;
  // Scanner state, resumable between pushes: where to go on, inside a quoted field, at the start of a field.
  let scanPos = 0;
  let inQuote = false;
  let fieldStart = true;
  let nextLine = 1;

  /** Index just past the last record-ending line feed in buf, scanning from scanPos (0 when none). */
  function scan(): number {
    const n = buf.length;
    let boundary = 0;
    let i = scanPos;
    while (i < n) {
      if (inQuote) {
        const j = buf.indexOf('"', i);
        if (j < 0) {
          i = n;
          break;
        }
        if (j + 1 >= n) {
          i = j; // undecidable until the next chunk: an escaped "" or the closing quote
          break;
        }
        if (buf.charCodeAt(j + 1) === QUOTE) {
          i = j + 2;
          continue;
        }
        let k = j + 1;
        while (k < n && isGap(buf.charCodeAt(k))) k++;
        if (k >= n) {
          i = j;
          break;
        }
        const c = buf.charCodeAt(k);
        if (c === COMMA || c === LF) {
          inQuote = false;
          fieldStart = true;
          i = k + 1;
          if (c === LF) boundary = i;
        } else i = j + 1; // a stray quote: papaparse keeps looking for the real closing one
        continue;
      }
      const c = buf.charCodeAt(i);
      if (fieldStart && c === QUOTE) {
        inQuote = true;
        fieldStart = false;
        i++;
        continue;
      }
      fieldStart = c === COMMA || c === LF;
      if (c === LF) boundary = i + 1;
      i++;
    }
    scanPos = i;
    return boundary;
  }

  /** Parse text that ends at a record boundary (or the end of the file) and pass each row to the sink. */
  function parse(text: string, atEnd: boolean): void {
    const res = Papa.parse<string[]>(text, { delimiter: ',', newline: '\n', quoteChar: '"', header: false, skipEmptyLines: false });
    const data = res.data;
    let n = data.length;
    if (!atEnd && n > 0 && data[n - 1]!.length === 1 && data[n - 1]![0] === '') n--; // the empty tail after the last line feed
    let problems: Map<number, 'quote-not-closed' | 'malformed-quotes'> | undefined;
    for (const e of res.errors) {
      problems ??= new Map();
      if (e.row !== undefined) problems.set(e.row, e.code === 'MissingQuotes' ? 'quote-not-closed' : 'malformed-quotes');
    }
    // Rows span lines only through quoted line feeds: count per field only when the text has more line feeds than rows.
    let multiline = false;
    if (text.includes('"')) {
      let lfs = 0;
      for (let p = text.indexOf('\n'); p >= 0; p = text.indexOf('\n', p + 1)) lfs++;
      multiline = lfs > (atEnd ? n - 1 : n);
    }
    const checkUtf8 = text.includes('\uFFFD');
    const first = nextLine;
    for (let r = 0; r < n; r++) {
      const row = data[r]!;
      const line = nextLine;
      nextLine++;
      if (multiline) {
        for (const f of row) for (let p = f.indexOf('\n'); p >= 0; p = f.indexOf('\n', p + 1)) nextLine++;
      }
      if (row.length === 1 && row[0]!.trim() === '' && !problems?.has(r)) continue; // blank line
      if (!sink.hasHeader) sink.csvHeader(row, line);
      else sink.csvRow(row, line, problems?.get(r), checkUtf8);
    }
    sink.addLines(nextLine - first);
  }

  return {
    push(chunk: string): FeedBatch<FeedRow<K>> {
      if (pendingCr) {
        chunk = '\r' + chunk;
        pendingCr = false;
      }
      if (chunk.charCodeAt(chunk.length - 1) === 13) {
        chunk = chunk.slice(0, -1); // a CR LF may be split between chunks
        pendingCr = true;
      }
      if (chunk.includes('\r\n')) chunk = chunk.replaceAll('\r\n', '\n');
      if (!started && chunk.length > 0) {
        started = true;
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      }
      if (!chunk) return sink.take();
      const from = buf.length;
      buf += chunk;
      let boundary: number;
      if (!inQuote && !chunk.includes('"')) {
        // Fast path: no quotes in play, records end at line feeds.
        const lf = buf.lastIndexOf('\n');
        boundary = lf >= from ? lf + 1 : 0;
        const last = buf.charCodeAt(buf.length - 1);
        fieldStart = last === COMMA || last === LF;
        scanPos = buf.length;
      } else boundary = scan();
      if (boundary > 0) {
        const complete = buf.slice(0, boundary);
        buf = buf.slice(boundary);
        scanPos -= boundary;
        parse(complete, false);
      }
      return sink.take();
    },
    end(): FeedBatch<FeedRow<K>> {
      pendingCr = false; // a lone CR at the very end is a line end
      if (buf.length > 0) parse(buf, true);
      buf = '';
      sink.finish();
      return sink.take();
    },
  };
}
