// docs/hq-api.md is what a retailer's IT reads about headquarters: its routes are checked against the routes the app
// serves (with --demo, so every route is mounted), its error reasons against protocol/errors.ts, and its command table
// against the usage text of `larder hq`, so a route, reason or command added to one and not the other fails here.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { createHq } from '../../hq/app.ts';
import type { Db } from '../../hq/db/db.ts';
import { migrate } from '../../hq/db/migrate.ts';
import { openPglite } from '../../hq/db/pglite.ts';

const read = (path: string) => readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8');
const doc = read('../../docs/hq-api.md');

/** `METHOD /path` of each `### \`METHOD /path\`` heading, `{param}` as Hono writes it (`:param`). */
const documentedRoutes = () => [...doc.matchAll(/^### `(GET|POST|PUT|DELETE|PATCH) (\/\S+)`$/gm)].map((m) => `${m[1]} ${m[2]!.replace(/\{(\w+)\}/g, ':$1')}`);

/** The text under one route's heading, up to the next heading. */
function routeSection(route: string): string {
  const [method, path] = route.split(' ');
  const heading = `### \`${method} ${path!.replace(/:(\w+)/g, '{$1}')}\``;
  const start = doc.indexOf(`${heading}\n`);
  const next = doc.slice(start + heading.length).search(/\n##/);
  return doc.slice(start, next < 0 ? undefined : start + heading.length + next);
}

describe('docs/hq-api.md against headquarters', () => {
  let db: Db;
  let app: Hono;
  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    app = await createHq({ db, adminKey: 'ladm.doc-test', demo: true });
  }, 60_000);
  afterAll(async () => {
    await db?.close();
  });

  it('documents exactly the routes the app serves, each once', () => {
    const served = [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))].sort();
    const documented = documentedRoutes();
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual(served);
  });

  it('says who may call each route and shows a request to it and its answer', () => {
    for (const route of documentedRoutes()) {
      const text = routeSection(route);
      const [method, path] = route.split(' ');
      expect(text, route).toMatch(/\nWho: /);
      // The example request: the same method, and the path with each parameter filled in.
      const pattern = new RegExp(`\`\`\`http\\n${method} ${path!.replace(/:\w+/g, '[^/\\s]+').replace(/\//g, '\\/')}(\\?\\S*)?\\n`);
      expect(text, route).toMatch(pattern);
      expect(text, route).toMatch(/```(json|text)\n\d{3} /);
    }
  });

  it('lists every error reason headquarters and devices use, and no other', () => {
    const source = read('../../protocol/errors.ts');
    const union = /export type ErrorReason =([^;]+);/.exec(source)![1]!;
    const reasons = [...union.matchAll(/'([a-z-]+)'/g)].map((m) => m[1]).sort();
    const table = doc.slice(doc.indexOf('| reason | status | meaning |'));
    const documented = [...table.slice(0, table.indexOf('\n\n')).matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(reasons);
  });

  it('describes every `larder hq` command of the usage text', () => {
    const usage = /const USAGE = `([\s\S]*?)`;/.exec(read('../../hq/cli.ts'))![1]!;
    const commands = [...new Set([...usage.matchAll(/^ {2}larder hq( [a-z][a-z-]*)?/gm)].map((m) => (m[1] ?? '').trim()))];
    expect(commands.length).toBeGreaterThan(3);
    const rows = doc.slice(doc.indexOf('## Command line')).split('\n').filter((l) => l.startsWith('| `larder hq'));
    const documented = [...new Set(rows.map((l) => (/^\| `larder hq( [a-z][a-z-]*)?/.exec(l)![1] ?? '').trim()))];
    expect(documented.sort()).toEqual(commands.sort());
  });
});
