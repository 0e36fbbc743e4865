// The built site holds nothing personal (DESIGN.md "Who holds what"): no members or baskets feed file anywhere in
// dist/ (plain, gzipped, any format), and no manifest.json naming one. Devices get their store's members from
// headquarters with a device token, never from a public file. Exits 1, naming each file, when the build has one.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

const DIST = process.env.LARDER_DIST ?? 'dist';
/** A members or baskets file: named as the feeds are (core/feeds/schemas.ts `feedFromName`: the kind first, e.g.
 * members.csv, baskets-2026-11-28.ndjson.gz) in any format — only the build's own code chunks are let through. */
const PERSONAL = /^(members|baskets)(?!.*\.(js|css|map|html)$)/i;

/** Every file under `dir`. */
async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

/** What in `dist` is personal data, in words (empty: nothing). */
export async function personalFiles(dist = DIST) {
  await stat(join(dist, 'index.html')).catch(() => { throw new Error(`${dist}/index.html is missing: run \`npm run build\` first`); });
  const found = [];
  for await (const path of files(dist)) {
    const name = path.split('/').pop();
    const shown = relative(dist, path);
    if (PERSONAL.test(name)) found.push(`${shown}: a ${name.toLowerCase().startsWith('members') ? 'members' : 'baskets'} feed file`);
    if (name === 'manifest.json') {
      let listed;
      try { listed = JSON.parse(await readFile(path, 'utf8'))?.files; } catch { continue; } // not a feed manifest
      const personal = Array.isArray(listed) ? listed.filter((f) => typeof f === 'string' && PERSONAL.test(f.split('/').pop())) : [];
      if (personal.length) found.push(`${shown}: a feed manifest listing ${personal.join(', ')}`);
    }
  }
  return found;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = await personalFiles().catch((e) => {
    console.log(`✗ dist-check: ${e instanceof Error ? e.message : e}`);
    process.exit(2);
  });
  for (const f of found) console.log(`✗ ${f}`);
  if (found.length) {
    console.log(`dist-check: the built site would serve personal data to anyone (${found.length} file(s) above). Members and`
      + ' baskets reach a device only from headquarters; a file in public/ (e.g. an old public/demo/ folder) is copied into'
      + ' dist/ by the build: delete it.');
  } else console.log(`✓ dist-check: no members or baskets feed in ${DIST}/`);
  process.exit(found.length ? 1 : 0);
}
