// Run a suite against both databases: PGlite in memory, and a throwaway PostgreSQL server started for the file.
import { afterAll, beforeAll, describe } from 'vitest';
import type { Db } from '../db/db.ts';
import { migrate } from '../db/migrate.ts';
import { openPglite } from '../db/pglite.ts';
import { openPostgres } from '../db/postgres.ts';
import { startPostgres, type TestPostgres } from './postgres.ts';

let server: Promise<TestPostgres> | undefined;
let users = 0;
let databases = 0;

/** A fresh, migrated database of one kind. The PostgreSQL server is shared by the file's suites (one database each)
 * and stopped after the last. */
export async function openTestDb(kind: Db['kind']): Promise<{ db: Db; close(): Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openPglite();
    await migrate(db);
    return { db, close: () => db.close() };
  }
  users++;
  server ??= startPostgres();
  const pg = await server;
  const db = await openPostgres(await pg.database(`t${process.pid}_${++databases}`));
  await migrate(db);
  return {
    db,
    async close() {
      await db.close().catch(() => undefined);
      if (--users === 0) {
        server = undefined;
        await pg.stop();
      }
    },
  };
}

/** `describe` once per database, with `get()` giving the suite's database. */
export function describeEachDb(name: string, body: (get: () => Db) => void): void {
  for (const kind of ['pglite', 'postgres'] as const) {
    describe(`${name} [${kind}]`, () => {
      let handle: { db: Db; close(): Promise<void> } | undefined;
      beforeAll(async () => {
        handle = await openTestDb(kind);
      }, 120_000);
      afterAll(async () => {
        await handle?.close();
      }, 60_000);
      body(() => handle!.db);
    });
  }
}
