// A PostgreSQL server through a pool of `pg` connections (`--db postgres://…`, or a unix socket `?host=/dir`).
import pg from 'pg';
import { DbUnavailableError, isUnavailable, type Db, type Queryable } from './db.ts';

// bigint (int8) as a JavaScript number: every count and cent sum here stays far below 2^53.
pg.types.setTypeParser(20, (v: string) => Number(v));

/** Wrap a connection error so the routes answer 503. */
function unavailable(e: unknown): never {
  throw isUnavailable(e) ? new DbUnavailableError(`the database is unavailable (${e instanceof Error ? e.message : String(e)})`, { cause: e }) : e;
}

/** Statement names by SQL text: a query with parameters is prepared once per connection and then only bound and
 * executed (no parse or plan per call); the text of a name never changes, as the protocol requires. */
const names = new Map<string, string>();
const nameOf = (sql: string): string => {
  let name = names.get(sql);
  if (!name) names.set(sql, (name = `larder_${names.size + 1}`));
  return name;
};

/** Connect to a PostgreSQL server; `max` connections in the pool. */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 20, connectionTimeoutMillis: 5_000 });
  pool.on('error', () => undefined); // an idle connection that drops is replaced at the next query
  const q = (client: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      try {
        const rows = params.length
          ? (await client.query({ name: nameOf(sql), text: sql, values: params as unknown[] })).rows
          : (await client.query(sql)).rows;
        return rows as T[];
      } catch (e) {
        return unavailable(e);
      }
    },
  });
  const db: Db = {
    kind: 'postgres',
    ...q(pool),
    async transaction(fn, options) {
      const client = await pool.connect().catch(unavailable);
      try {
        await client.query('BEGIN');
        const out = await fn(q(client));
        await client.query(options?.rollbackOn?.(out) ? 'ROLLBACK' : 'COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        return unavailable(e);
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql).catch(unavailable);
    },
    async close() {
      if (!pool.ended) await pool.end();
    },
  };
  await db.query('SELECT 1');
  return db;
}
