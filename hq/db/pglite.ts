// Embedded PostgreSQL (PGlite) on a data folder, or in memory: the default, so a demo needs no server.
import { PGlite } from '@electric-sql/pglite';
import { DbUnavailableError, type Db, type Queryable } from './db.ts';

/** Open PGlite on `dataDir` (created when missing), or in memory when none is given. One process per folder. */
export async function openPglite(dataDir?: string): Promise<Db> {
  const pg = dataDir ? new PGlite(dataDir) : new PGlite();
  await pg.waitReady;
  let closed = false;
  const guard = () => {
    if (closed) throw new DbUnavailableError('the embedded database is closed');
  };
  const q = (target: Pick<PGlite, 'query'>): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      guard();
      return (await target.query<T>(sql, params as unknown[])).rows;
    },
  });
  return {
    kind: 'pglite',
    ...q(pg),
    async transaction(fn, options) {
      guard();
      return pg.transaction(async (tx) => {
        const out = await fn(q(tx));
        if (options?.rollbackOn?.(out)) await tx.rollback();
        return out;
      });
    },
    async exec(sql) {
      guard();
      await pg.exec(sql);
    },
    async close() {
      if (closed) return;
      closed = true;
      await pg.close();
    },
  };
}
