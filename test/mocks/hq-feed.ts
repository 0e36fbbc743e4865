// A fake headquarters for feed sync tests (worker/hq-feed.ts protocol): change sets behind a cursor, files with
// ETags, and a queue of faults that the next requests meet, one fault per request.
import { delay, http, HttpResponse } from 'msw';
import { hashString } from '../../core/random.ts';
import type { TestBasket, TestMember, TestProduct } from './store-builders.ts';

/** What the next request meets. `malformed`: a change list that is not valid JSON, or a feed file whose body
 * is an HTML page served as NDJSON; `html`: an HTML page with `text/html`; `cut`: the body stops mid-row with a
 * network error; `truncate`: the body stops mid-row and the connection closes cleanly; `stall`: the body stops
 * mid-row and nothing more comes; `timeout`: the headers never come in time. */
export type HqFault = 'ok' | '500' | '503' | '404' | 'drop' | 'timeout' | 'stall' | 'cut' | 'truncate' | 'malformed' | 'html';

/** Faults a retry can overcome within one sync. */
export const TRANSIENT_FAULTS: readonly HqFault[] = ['500', '503', 'drop', 'timeout', 'stall', 'cut', 'truncate'];

/** One request as headquarters saw it. */
export interface HqRequest {
  path: string;
  since?: string;
  ifNoneMatch?: string;
  status: number;
  fault: HqFault;
}

/** A fake headquarters at `base` (an absolute URL, e.g. `http://hq.test/feeds`). `waitMs`: how long `timeout` and
 * `stall` keep the client waiting (longer than its timeout). */
export function fakeFeedHq(base = 'http://hq.test/feeds', { waitMs = 300 } = {}) {
  const sets: { cursor: string; names: string[] }[] = [];
  const files = new Map<string, { body: string; etag: string }>();
  const faults: HqFault[] = [];
  const requests: HqRequest[] = [];

  const next = (): HqFault => faults.shift() ?? 'ok';
  const log = (r: HqRequest) => {
    requests.push(r);
  };
  const html = () => new HttpResponse('<!doctype html><html><body><h1>Please sign in</h1></body></html>', { headers: { 'content-type': 'text/html' } });
  const midRow = (body: string) => {
    let at = Math.max(1, Math.floor(body.length * 0.6));
    while (at < body.length - 1 && body[at - 1] === '\n') at++;
    return body.slice(0, at);
  };
  /** A body that sends a part of the text in small pieces (as a slow network does), then errors, closes or waits. */
  const partial = (text: string, end: 'error' | 'close' | 'wait', contentType: string) => {
    const bytes = new TextEncoder().encode(text);
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        for (let at = 0; at < bytes.length; at += 50) controller.enqueue(bytes.slice(at, at + 50));
        if (end === 'error') {
          await delay(5);
          controller.error(new Error('connection reset'));
        } else if (end === 'close') controller.close();
        else {
          await delay(waitMs);
          try {
            controller.close();
          } catch {
            // the client gave up and cancelled the stream: nothing to close
          }
        }
      },
    });
    return new HttpResponse(stream, { headers: { 'content-type': contentType } });
  };

  const handlers = [
    http.get(`${base}/changes`, async ({ request }) => {
      const since = new URL(request.url).searchParams.get('since') ?? '';
      const fault = next();
      const answer = (status: number) => log({ path: 'changes', since, status, fault });
      switch (fault) {
        case '500': case '503': case '404': answer(Number(fault)); return new HttpResponse(null, { status: Number(fault) });
        case 'drop': answer(0); return HttpResponse.error();
        case 'html': answer(200); return html();
        case 'timeout': await delay(waitMs); break;
        default: break;
      }
      const from = since ? sets.findIndex((s) => s.cursor === since) + 1 : 0;
      const names: string[] = [];
      for (const s of sets.slice(from)) for (const n of s.names) if (!names.includes(n)) names.push(n);
      const body = JSON.stringify({
        cursor: sets.at(-1)?.cursor ?? '',
        files: names.map((name) => ({ name, url: `files/${name}`, etag: files.get(name)!.etag })),
      });
      answer(200);
      if (fault === 'malformed') return new HttpResponse(body.replace('"files":[', '"files":[oops,'), { headers: { 'content-type': 'application/json' } });
      if (fault === 'cut' || fault === 'truncate' || fault === 'stall') return partial(midRow(body), fault === 'cut' ? 'error' : fault === 'truncate' ? 'close' : 'wait', 'application/json');
      return new HttpResponse(body, { headers: { 'content-type': 'application/json' } });
    }),
    http.get(`${base}/files/:name`, async ({ request, params }) => {
      const name = String(params.name);
      const file = files.get(name);
      const ifNoneMatch = request.headers.get('if-none-match') ?? undefined;
      const fault = next();
      const answer = (status: number) => log({ path: name, ...(ifNoneMatch ? { ifNoneMatch } : {}), status, fault });
      if (!file) {
        answer(404);
        return new HttpResponse(null, { status: 404 });
      }
      const type = name.endsWith('.csv') ? 'text/csv' : 'application/x-ndjson';
      switch (fault) {
        case '500': case '503': case '404': answer(Number(fault)); return new HttpResponse(null, { status: Number(fault) });
        case 'drop': answer(0); return HttpResponse.error();
        case 'html': answer(200); return html();
        case 'malformed': answer(200); return new HttpResponse('\n  <html><body>502 Bad Gateway</body></html>\n', { headers: { 'content-type': type } });
        case 'timeout': await delay(waitMs); break;
        case 'cut': answer(200); return partial(midRow(file.body), 'error', type);
        case 'truncate': answer(200); return partial(midRow(file.body), 'close', type);
        case 'stall': answer(200); return partial(midRow(file.body), 'wait', type);
        default: break;
      }
      if (ifNoneMatch === file.etag) {
        answer(304);
        return new HttpResponse(null, { status: 304, headers: { etag: file.etag } });
      }
      answer(200);
      return new HttpResponse(file.body, { headers: { 'content-type': type, etag: file.etag } });
    }),
  ];

  return {
    handlers,
    /** Publish a change set: these files (name → text) changed. Returns its cursor. */
    publish(changed: Record<string, string>): string {
      const cursor = `c${sets.length + 1}`;
      for (const [name, body] of Object.entries(changed)) {
        files.set(name, { body, etag: `"${(hashString(body) >>> 0).toString(36)}-${body.length}"` });
      }
      sets.push({ cursor, names: Object.keys(changed) });
      return cursor;
    },
    /** Faults for the next requests, in order (`ok` lets one through). */
    inject(...next: HqFault[]) {
      faults.push(...next);
    },
    /** Faults not yet met. */
    pendingFaults: () => faults.length,
    requests,
  };
}

/** Feed files in the formats headquarters sends: products and members as CSV, baskets as NDJSON (one line each). */
export const hqFiles = {
  products: (products: TestProduct[]) => ['product_id,name,category,brand,brand_type,price_cents',
    ...products.map((p) => `${p.id},${p.name},${p.category},${p.brand ?? 'Acme'},${p.brandType ?? 'national'},${p.priceCents}`)].join('\n') + '\n',
  members: (members: TestMember[]) => ['member_id,card_code,consent_personalise,first_name',
    ...members.map((m) => `${m.id},${m.card},${m.consent ?? true},${m.firstName ?? ''}`)].join('\n') + '\n',
  baskets: (baskets: TestBasket[], extraLines: string[] = []) => [
    ...baskets.flatMap((b) => b.products.map((p) => JSON.stringify({ basket_id: b.id, member_id: b.member, date: b.date, product_id: p, qty: 1, unit_price_cents: b.priceCents ?? 300 }))),
    ...extraLines,
  ].join('\n') + '\n',
};
