// Streaming NDJSON (one object a line) and JSON arrays (elements cut by a bracket/string scanner, then JSON.parse each),
// so one malformed element rejects only itself and every row keeps its physical line.
import type { FeedKind, FeedRow } from './schemas.ts';
import type { FeedBatch, FeedParser, RowSink } from './rows.ts';

/** Parse one JSON text of a row and hand it to the sink, or report why it is not JSON. */
function parseRow<K extends FeedKind>(sink: RowSink<K>, text: string, line: number): void {
  if (text.includes('\uFFFD')) {
    return sink.error(line, 'not-utf8', { expected: 'text encoded as UTF-8 (the row holds U+FFFD replacement characters)' });
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    return sink.error(line, 'malformed-json', { params: { detail: (e as Error).message }, expected: 'one JSON object', value: text.length > 80 ? `${text.slice(0, 77)}…` : text });
  }
  sink.jsonRow(obj, line);
}

/** A streaming NDJSON feed parser: one JSON object per line, blank lines ignored. */
export function createNdjsonParser<K extends FeedKind>(sink: RowSink<K>, firstLine = 1): FeedParser<FeedRow<K>> {
  let buf = '';
  let nextLine = firstLine;
  let started = false;
  const lines = (text: string) => {
    const parts = text.split('\n');
    for (const raw of parts) {
      const line = nextLine++;
      const t = raw.trim();
      if (t) parseRow(sink, t, line);
    }
    sink.addLines(parts.length);
  };
  return {
    push(chunk) {
      if (!started && chunk.length > 0) {
        started = true;
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      }
      const from = buf.length;
      buf += chunk;
      const lf = buf.lastIndexOf('\n');
      if (lf >= from) {
        lines(buf.slice(0, lf));
        buf = buf.slice(lf + 1);
      }
      return sink.take();
    },
    end() {
      if (buf.trim()) lines(buf);
      buf = '';
      sink.finish();
      return sink.take();
    },
  };
}

// Where the array scanner is.
const At = { Start: 0, BeforeElement: 1, InElement: 2, Closed: 3, Broken: 4 } as const;
type At = (typeof At)[keyof typeof At];

/** A streaming JSON-array feed parser; a file that starts with `{` is read as NDJSON instead. */
export function createJsonArrayParser<K extends FeedKind>(sink: RowSink<K>): FeedParser<FeedRow<K>> {
  let buf = '';
  let at: At = At.Start;
  let pos = 0;
  let line = 1;
  let elemStart = 0;
  let elemLine = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let ndjson: FeedParser<FeedRow<K>> | undefined;
  let linesSeen = 1;

  const emit = (end: number) => parseRow(sink, buf.slice(elemStart, end).trim(), elemLine);

  function scan(): void {
    const n = buf.length;
    for (; pos < n && at !== At.Broken; pos++) {
      const c = buf.charCodeAt(pos);
      if (c === 10) line++;
      if (at === At.InElement) {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 92) escaped = true;
          else if (c === 34) inString = false;
        } else if (c === 34) inString = true;
        else if (c === 123 || c === 91) depth++;
        else if (c === 125 || c === 93) {
          if (depth > 0) depth--;
          else {
            emit(pos);
            at = At.Closed;
          }
        } else if (c === 44 && depth === 0) {
          emit(pos);
          at = At.BeforeElement;
        }
        continue;
      }
      if (c === 32 || c === 10 || c === 13 || c === 9) continue;
      if (at === At.Start) {
        sink.sawContent = true;
        if (c === 91) at = At.BeforeElement;
        else {
          sink.error(line, 'not-json-array', { expected: 'a JSON array of objects, or one JSON object per line' }, false);
          at = At.Broken;
        }
      } else if (at === At.BeforeElement) {
        if (c === 93) at = At.Closed;
        else if (c !== 44) {
          at = At.InElement;
          elemStart = pos;
          elemLine = line;
          depth = 0;
          inString = false;
          escaped = false;
          pos--; // read this character again as the element's first
        }
      } else if (at === At.Closed) {
        sink.error(line, 'text-after-json-array', { expected: 'nothing after the closing ]' }, false);
        at = At.Broken;
      }
    }
  }

  return {
    push(chunk) {
      if (ndjson) return ndjson.push(chunk);
      if (at === At.Start && buf === '' && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      buf += chunk;
      if (at === At.Start) {
        const t = buf.trimStart();
        if (t[0] === '{') {
          ndjson = createNdjsonParser(sink, line);
          const text = buf;
          buf = '';
          return ndjson.push(text);
        }
      }
      const before = line;
      scan();
      // Keep only the element still being read.
      const keep = at === At.InElement ? elemStart : buf.length;
      buf = buf.slice(keep);
      pos -= keep;
      elemStart -= keep;
      sink.addLines(line - before);
      linesSeen = line;
      return sink.take();
    },
    end() {
      if (ndjson) return ndjson.end();
      if (at === At.InElement || at === At.BeforeElement) {
        sink.error(at === At.InElement ? elemLine : linesSeen, 'json-array-not-closed', {
          expected: 'a closing ] at the end of the file',
        }, at === At.InElement);
      }
      sink.addLines(1);
      buf = '';
      sink.finish();
      return sink.take();
    },
  };
}
