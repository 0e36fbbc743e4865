// The demo's headquarters: `POST /hq/<kind>` on the Vite dev and preview servers, answered by the same ledger the
// tests use (site/hq-ledger.ts). It keeps what kiosks send in memory, so the demo's outbox really drains.
import type { Connect, Plugin } from 'vite';
import { createHqLedger } from './hq-ledger.ts';

/** A Vite plugin serving a headquarters endpoint at `/hq/` for the demo. */
export function demoHeadquarters(): Plugin {
  const ledger = createHqLedger();
  const middleware: Connect.NextHandleFunction = (req, res, next) => {
    const match = /^\/hq\/([a-z-]+)$/.exec(req.url?.split('?')[0] ?? '');
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
