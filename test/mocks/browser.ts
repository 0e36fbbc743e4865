// MSW in the browser: the test store's feeds (and the demo's fault injection) through a service worker.
import { setupWorker } from 'msw/browser';
import { handlers } from './handlers.ts';

/** The one MSW worker of a browser test page; tests add their handlers with `worker.use()`. */
export const worker = setupWorker(...handlers);

let started: Promise<unknown> | undefined;

/** Start mocking for this test page, once however many suites ask. Never stopped: stopping tells the service worker
 * its last client left, and it unregisters itself, so a later start would update a registration that is gone ("Failed
 * to update a ServiceWorker … Not found", outside any test). The page's end stops it. */
export function startMocks(): Promise<unknown> {
  started ??= worker.start({ serviceWorker: { url: '/mockServiceWorker.js' }, quiet: true, onUnhandledRequest: 'bypass' });
  return started;
}
