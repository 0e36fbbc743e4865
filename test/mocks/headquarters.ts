// A fake headquarters for sync tests: stores records by idempotency key like Stripe does
// (same key + same body → the first answer again; same key + other body → 409).
import { http, HttpResponse } from 'msw';

/** Records headquarters holds, by idempotency key. */
export function fakeHeadquarters(base = '*/hq') {
  const records = new Map<string, string>();
  let posts = 0;
  const handler = http.post(`${base}/:kind`, async ({ request }) => {
    posts++;
    const key = request.headers.get('idempotency-key');
    if (!key) return HttpResponse.json({ error: 'missing idempotency-key' }, { status: 400 });
    const body = await request.text();
    const known = records.get(key);
    if (known !== undefined && known !== body) return HttpResponse.json({ error: 'idempotency key reused with other contents' }, { status: 409 });
    records.set(key, body);
    return HttpResponse.json({ ok: true, replay: known !== undefined });
  });
  return { handler, records, posts: () => posts };
}
