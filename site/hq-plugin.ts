// The demo's headquarters: `POST /hq/<kind>` on the Vite dev and preview servers, answered by the same ledger the
// tests use (site/hq-ledger.ts). It keeps what kiosks send in memory, so the demo's outbox really drains; and it
// answers the feed change list with the demo's catalogue and deals, so "sync now" on the manager screen runs for real.
import type { Connect, Plugin } from 'vite';
import { createHqLedger } from './hq-ledger.ts';

const DEMO_CURSOR = 'demo-1';

/** A Vite plugin serving a headquarters endpoint at `/hq/` for the demo: the outbox's POSTs and the feed change list. */
export function demoHeadquarters(): Plugin {
  const ledger = createHqLedger();
  const middleware: Connect.NextHandleFunction = (req, res, next) => {
    const [path, query] = (req.url ?? '').split('?');
    if (path === '/hq/changes' && req.method === 'GET') {
      // The feed change list (worker/hq-feed.ts): the demo's prices and deals as one change set, then nothing new.
      const since = new URLSearchParams(query ?? '').get('since');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(since === DEMO_CURSOR ? { cursor: DEMO_CURSOR, files: [] } : {
        cursor: DEMO_CURSOR,
        files: [{ name: 'products.csv', url: '../demo/products.csv' }, { name: 'deals.csv', url: '../demo/deals.csv' }],
      }));
      return;
    }
    const match = /^\/hq\/([a-z-]+)$/.exec(path ?? '');
    if (!match || req.method !== 'POST') return next();
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => { body += chunk; });
    req.on('end', () => {
      const key = req.headers['idempotency-key'];
      const answer = ledger.receive(match[1]!, typeof key === 'string' ? key : null, body);
      res.statusCode = answer.status;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answer.body));
    });
  };
  return {
    name: 'larder-demo-headquarters',
    configureServer(server) { server.middlewares.use(middleware); },
    configurePreviewServer(server) { server.middlewares.use(middleware); },
  };
}
