// `npm start`'s dev server serves the project's files, but never headquarters' data folders (the admin key, the
// embedded database): a page on the machine must not read them.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer, type ViteDevServer } from 'vite';

const DATA = join(process.cwd(), '.larder-hq-devserver-test');
let server: ViteDevServer;
let base: string;

beforeAll(async () => {
  await mkdir(join(DATA, 'pglite'), { recursive: true });
  await writeFile(join(DATA, 'admin-key'), 'secret-admin-key\n');
  await writeFile(join(DATA, 'pglite', 'PG_VERSION'), '17\n');
  server = await createServer({ configFile: join(process.cwd(), 'vite.config.ts'), logLevel: 'silent', server: { host: '127.0.0.1', port: 0, strictPort: false } });
  await server.listen();
  base = server.resolvedUrls!.local[0]!;
}, 60_000);
afterAll(async () => {
  await server?.close();
  await rm(DATA, { recursive: true, force: true });
});

it('refuses headquarters\' admin key and database files, and serves the pages', async () => {
  for (const path of ['.larder-hq-devserver-test/admin-key', '.larder-hq-devserver-test/pglite/PG_VERSION']) {
    const res = await fetch(new URL(path, base));
    expect(res.status, path).toBe(403);
    expect(await res.text()).not.toContain('secret-admin-key');
  }
  expect((await fetch(new URL('kiosk/', base))).status).toBe(200);
});
