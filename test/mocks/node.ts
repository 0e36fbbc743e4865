// MSW in Node, once for every Vitest file that talks to the network: the shared happy-path handlers, unknown requests
// fail the test, and each test's overrides (`server.use(...)`) are dropped after it.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { setupServer } from 'msw/node';
import { handlers } from './handlers.ts';

/** The one MSW server of the Node tests. */
export const server = setupServer(...handlers);

/** Listen for this test file: call once at the top of the file; tests add their handlers with `server.use()`. */
export function useMockServer(): typeof server {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}
