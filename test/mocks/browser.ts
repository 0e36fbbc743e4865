// MSW in the browser: the test store's feeds (and the demo's fault injection) through a service worker.
import { setupWorker } from 'msw/browser';
import { handlers } from './handlers.ts';

export const worker = setupWorker(...handlers);
