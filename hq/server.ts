// Running headquarters: open the database (PGlite on the data folder, or a server with --db), migrate, serve.
import { serve, type ServerType } from '@hono/node-server';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { createHq } from './app.ts';
import type { MemberKeyOptions } from './auth.ts';
import { randomToken } from './crypto.ts';
import type { Db } from './db/db.ts';
import { migrate } from './db/migrate.ts';
import { openPglite } from './db/pglite.ts';
import { openPostgres } from './db/postgres.ts';
import { loadDemo } from './demo-data.ts';

/** How to start. */
export interface ServeOptions {
  db?: string;
  data: string;
  port: number;
  host: string;
  demo: boolean;
  members: MemberKeyOptions;
}

/** The pid file that marks an embedded database as held by a running service. */
export const pidFile = (data: string) => join(data, 'hq.pid');

/** The pid of a live headquarters holding this data folder, if any. */
export async function holder(data: string): Promise<number | undefined> {
  if (!existsSync(pidFile(data))) return undefined;
  const pid = Number((await readFile(pidFile(data), 'utf8')).trim());
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined; // a pid file left by a killed process
  }
}

/** Open the database a command names: a server when `db` is given, else PGlite in `data/pglite`. */
export async function openDb(options: { db?: string; data: string }): Promise<Db> {
  if (options.db) return openPostgres(options.db);
  await mkdir(options.data, { recursive: true });
  const pid = await holder(options.data);
  if (pid) throw new Error(`headquarters (pid ${pid}) holds the embedded database in ${options.data}: stop it first, or run on a PostgreSQL server (--db)`);
  return openPglite(join(options.data, 'pglite'));
}

/** The admin key: `LARDER_ADMIN_KEY`, else the data folder's `admin-key`, made at first start (mode 0600). */
export async function adminKey(data: string, create: boolean): Promise<string> {
  const fromEnv = process.env.LARDER_ADMIN_KEY?.trim();
  if (fromEnv) return fromEnv;
  const path = join(data, 'admin-key');
  if (existsSync(path)) return (await readFile(path, 'utf8')).trim();
  if (!create) throw new Error(`no admin key: set LARDER_ADMIN_KEY or start headquarters once on ${data} (it writes ${path})`);
  await mkdir(data, { recursive: true });
  const key = `ladm.${randomToken()}`;
  await writeFile(path, `${key}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return key;
}

/** Member key set from a flag: a URL (JWKS endpoint) or a file holding a JWKS. */
export async function memberKeys(source: string | undefined, issuer?: string, audience?: string): Promise<MemberKeyOptions> {
  const base = { ...(issuer ? { issuer } : {}), ...(audience ? { audience } : {}) };
  if (!source) return base;
  if (/^https?:\/\//.test(source)) return { ...base, jwksUrl: source };
  return { ...base, jwks: JSON.parse(await readFile(source, 'utf8')) as JSONWebKeySet };
}

/** Start serving; resolves once it answers, with the URL and a stop function. */
export async function startHq(options: ServeOptions): Promise<{ url: string; db: Db; stop(): Promise<void> }> {
  const key = await adminKey(options.data, true);
  const db = await openDb(options);
  if (!options.db) await writeFile(pidFile(options.data), `${process.pid}\n`);
  await migrate(db);
  if (options.demo) await loadDemo(db);
  const app = await createHq({ db, adminKey: key, members: options.members, demo: options.demo });
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host}:${port}`;
  const answered = await fetch(`${url}/v1/health`);
  if (!answered.ok) throw new Error(`headquarters does not answer at ${url} (HTTP ${answered.status})`);
  return {
    url,
    db,
    async stop() {
      await new Promise<void>((r) => server.close(() => r()));
      await db.close();
      if (!options.db) await rm(pidFile(options.data), { force: true });
    },
  };
}
