// A fake headquarters for sync tests, over MSW: the same ledger as the demo's headquarters (site/hq-ledger.ts).
import { http, HttpResponse } from 'msw';
import { createHqLedger } from '../../site/hq-ledger.ts';

/** Records headquarters holds, by idempotency key. */
export function fakeHeadquarters(base = '*/hq') {
  const ledger = createHqLedger();
  let posts = 0;
  const handler = http.post(`${base}/:kind`, async ({ request, params }) => {
    posts++;
    const answer = ledger.receive(String(params.kind), request.headers.get('idempotency-key'), await request.text());
    return HttpResponse.json(answer.body, { status: answer.status });
  });
  return { handler, records: ledger.records, posts: () => posts };
}
