// Versioned, forward-only SQL migrations (hq/migrations/NNN-name.sql), run at start, each once, in order.
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';

const DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

/** The migration files, by version. */
export async function migrationFiles(dir = DIR): Promise<{ version: number; name: string; path: string }[]> {
  const names = (await readdir(dir)).filter((n) => /^\d{3}-[\w-]+\.sql$/.test(n)).sort();
  return names.map((name) => ({ version: Number(name.slice(0, 3)), name, path: `${dir}${name}` }));
}

/** Apply every migration not applied yet; returns the versions applied now. Two servers starting at once on one
 * database serialise on an advisory lock, so a migration never runs twice. */
export async function migrate(db: Db, dir = DIR): Promise<number[]> {
  await db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
  const files = await migrationFiles(dir);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(4242)');
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const f of files) {
      if (done.has(f.version)) continue;
      // Each statement separately: one prepared query cannot carry several.
      for (const statement of splitStatements(await readFile(f.path, 'utf8'))) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [f.version, f.name]);
      applied.push(f.version);
    }
    return applied;
  });
}

/** Split a script at semicolons outside `$$ … $$` bodies and `--` comments. */
export function splitStatements(script: string): string[] {
  const out: string[] = [];
  let current = '';
  let dollar = false;
  for (const line of script.split('\n')) {
    const code = dollar ? line : line.replace(/--.*$/, '');
    current += `${code}\n`;
    if ((code.match(/\$\$/g)?.length ?? 0) % 2 === 1) dollar = !dollar;
    if (!dollar && code.trimEnd().endsWith(';')) {
      if (current.trim()) out.push(current.trim().replace(/;$/, ''));
      current = '';
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
