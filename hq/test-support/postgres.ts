// A throwaway PostgreSQL server for tests and the bench: initdb in a temporary folder, a unix socket only, stopped
// and deleted at the end. Debian's `postgresql` package provides the binaries; without them this fails, naming it.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rmSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where Debian puts the server binaries (override with `LARDER_PG_BIN`). */
export const PG_BIN = process.env.LARDER_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** A running throwaway server. */
export interface TestPostgres {
  /** A connection string over the unix socket, to the `larder` database. */
  url: string;
  /** A connection string to another database on the same server, created on first use. */
  database(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** Start a server on a free port number (the socket file is named by it). Runs as the `postgres` user when this
 * process is root, since initdb refuses root. */
export async function startPostgres(): Promise<TestPostgres> {
  if (!existsSync(join(PG_BIN, 'initdb'))) {
    throw new Error(`PostgreSQL server binaries not found in ${PG_BIN}: install the Debian package "postgresql" (apt-get install -y postgresql)`);
  }
  const root = process.getuid?.() === 0;
  const dir = await mkdtemp(join(tmpdir(), 'larder-pg-'));
  await chmod(dir, 0o700);
  const as = async (cmd: string, args: string[]) => {
    if (!root) return run(join(PG_BIN, cmd), args, { timeout: 60_000 });
    return run('runuser', ['-u', 'postgres', '--', join(PG_BIN, cmd), ...args], { timeout: 60_000 });
  };
  if (root) {
    const { stdout } = await run('id', ['-u', 'postgres']).catch(() => {
      throw new Error('running as root, the tests start PostgreSQL as the "postgres" user, which the Debian package "postgresql" creates: install it');
    });
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = join(dir, 'data');
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  await as('initdb', ['-D', data, '-U', 'larder', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
  await as('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o',
    `-k ${dir} -p ${port} -c listen_addresses='' -c fsync=off -c max_connections=200 -c shared_buffers=64MB`, 'start']);
  const urlOf = (db: string) => `postgresql://larder@localhost/${db}?host=${encodeURIComponent(dir)}&port=${port}`;
  const created = new Set<string>();
  const psql = (db: string, sql: string) => as('psql', ['-h', dir, '-p', String(port), '-U', 'larder', '-d', db, '-v', 'ON_ERROR_STOP=1', '-c', sql]);
  await psql('postgres', 'CREATE DATABASE larder');
  let stopped = false;
  // A test process that ends without stop() (a crash, a timeout) must not leave a server behind.
  const onExit = () => {
    if (stopped) return;
    const args = ['-D', data, '-m', 'immediate', '-w', 'stop'];
    try {
      if (root) execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, 'pg_ctl'), ...args], { stdio: 'ignore' });
      else execFileSync(join(PG_BIN, 'pg_ctl'), args, { stdio: 'ignore' });
    } catch { /* already down */ }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  return {
    url: urlOf('larder'),
    async database(name) {
      if (!created.has(name)) {
        await psql('postgres', `CREATE DATABASE ${name}`);
        created.add(name);
      }
      return urlOf(name);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      process.off('exit', onExit);
      await as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
