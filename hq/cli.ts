// `larder hq …`: run headquarters, import feed files into it, and the admin commands that talk to the running service.
import { access, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from '../cli/args.ts';
import { readChunks } from '../cli/files.ts';
import { errorsToCsv, feedFromName, type RowError } from '../core/feeds/index.ts';
import { describeRowError, rowErrorText } from '../i18n/rows.ts';
import { writeFile } from 'node:fs/promises';
import { migrate } from './db/migrate.ts';
import { importFeeds, type ImportInput } from './import.ts';
import { importCampaigns } from './campaigns.ts';
import { adminKey, memberKeys, openDb, startHq } from './server.ts';

const USAGE = `usage:
  larder hq [--db postgres://…] [--data DIR] [--port 8787] [--host 127.0.0.1] [--demo] [--json]
            [--member-jwks URL|FILE] [--member-issuer ISS] [--member-audience AUD]
  larder hq import FILES… [--db URL | --data DIR] [--json] [--rejects rejected.csv]
  larder hq enroll --store S01 [--json]        a one-time enrolment code for a kiosk of the store
  larder hq revoke DEVICE                      refuse that device's token from now on
  larder hq set-pin --store S01 [--pin N]      the store's manager PIN (read from stdin without --pin)
  larder hq rotate-key --store S01             sign new lists with a new key (old lists stay valid)
  larder hq funder-key --funder NAME           an API key for the funder's manufacturer report
  larder hq batch --as-of yyyy-mm-dd [--stores S01,S02] [--workers N] [--queue] [--db URL | --data DIR] [--json]
                                               every member's list for the day, stored at headquarters (--queue: as
                                               shard jobs for larder hq worker processes, PostgreSQL only)
  larder hq worker --db URL [--concurrency N] [--lock-seconds S]   run batch shards from the job queue until stopped
  larder hq deliver --as-of yyyy-mm-dd [--stores S01,S02] [--smtp smtp://host:port] [--from ADDRESS] [--public-url URL]
                    [--out DIR] [--cjk-font FILE]   the day's lists to members who consented to contact: e-mail, letters PDF
  admin commands reach the service at --url, LARDER_HQ_URL or http://127.0.0.1:<--port>, with LARDER_ADMIN_KEY or DIR/admin-key`;

const VALUES = ['db', 'data', 'port', 'host', 'member-jwks', 'member-issuer', 'member-audience', 'store', 'pin', 'url', 'rejects', 'funder', 'as-of', 'stores', 'workers', 'concurrency', 'lock-seconds', 'smtp', 'from', 'public-url', 'out', 'cjk-font'];

/** Run `larder hq …`. */
export async function run(args: string[]): Promise<number> {
  const a = parseArgs(args, VALUES);
  const [sub, ...rest] = a.positionals;
  const data = a.values.get('data') ?? process.env.LARDER_HQ_DATA ?? '.larder-hq';
  const db = a.values.get('db') ?? process.env.LARDER_DB;
  try {
    if (!sub) return await serveCommand(a, data, db);
    if (sub === 'import') return await importCommand(rest, a, data, db);
    if (sub === 'batch') return await (await import('./batch/cli.ts')).batchCommand(a, data, db);
    if (sub === 'deliver') return await (await import('./batch/deliver-cli.ts')).deliverCommand(a, data, db);
    if (sub === 'worker') return await (await import('./batch/cli.ts')).workerCommand(a, db);
    const admin = adminClient(a, data);
    if (sub === 'enroll') {
      const store = a.values.get('store');
      if (!store) return usage();
      const { code, expiresAt } = await admin.call('POST', '/v1/admin/enrollments', { storeId: store }) as { code: string; expiresAt: string };
      console.log(a.flags.has('json') ? JSON.stringify({ code }) : `enrolment code for ${store}: ${code} (once, until ${expiresAt})`);
      return 0;
    }
    if (sub === 'revoke' && rest[0]) {
      await admin.call('POST', `/v1/admin/devices/${encodeURIComponent(rest[0])}/revoke`);
      console.log(`revoked ${rest[0]}`);
      return 0;
    }
    if (sub === 'set-pin') {
      const store = a.values.get('store');
      if (!store) return usage();
      const pin = a.values.get('pin') ?? (await firstLine('new manager PIN (4-12 digits): '));
      await admin.call('PUT', `/v1/admin/stores/${encodeURIComponent(store)}/pin`, { pin });
      console.log(`PIN set for ${store}`);
      return 0;
    }
    if (sub === 'rotate-key') {
      const store = a.values.get('store');
      if (!store) return usage();
      const r = await admin.call('POST', `/v1/admin/stores/${encodeURIComponent(store)}/keys/rotate`) as { current: number };
      console.log(`${store} signs new lists with key ${r.current}`);
      return 0;
    }
    if (sub === 'funder-key') {
      const funder = a.values.get('funder');
      if (!funder) return usage();
      const r = await admin.call('POST', '/v1/admin/funders', { funder }) as { apiKey: string };
      console.log(a.flags.has('json') ? JSON.stringify(r) : `API key for ${funder} (shown once): ${r.apiKey}`);
      return 0;
    }
    return usage();
  } catch (e) {
    console.error(`larder hq: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
}

function usage(): number {
  console.error(USAGE);
  return 2;
}

/** Serve until SIGINT or SIGTERM. */
async function serveCommand(a: ReturnType<typeof parseArgs>, data: string, db: string | undefined): Promise<number> {
  const members = await memberKeys(a.values.get('member-jwks') ?? process.env.LARDER_MEMBER_JWKS, a.values.get('member-issuer'), a.values.get('member-audience'));
  const hq = await startHq({
    ...(db ? { db } : {}), data, port: Number(a.values.get('port') ?? 8787), host: a.values.get('host') ?? '127.0.0.1', demo: a.flags.has('demo'), members,
  });
  if (a.flags.has('json')) console.log(JSON.stringify({ listening: hq.url, db: hq.db.kind }));
  else console.log(`headquarters listening on ${hq.url} (${hq.db.kind === 'pglite' ? `embedded PostgreSQL in ${data}` : 'PostgreSQL server'})`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await hq.stop();
  return 0;
}

/** `hq import`: opens the database itself. A PostgreSQL server may be in use by a running headquarters meanwhile;
 * the embedded one may not (one process per data folder), which openDb refuses with a message. */
async function importCommand(paths: string[], a: ReturnType<typeof parseArgs>, data: string, dbUrl: string | undefined): Promise<number> {
  if (!paths.length) return usage();
  const json = a.flags.has('json');
  let status = 0;
  const inputs: ImportInput[] = [];
  const campaignFiles: string[] = [];
  for (const path of paths) {
    const feed = feedFromName(path);
    if (basename(path) === 'campaigns.json') {
      campaignFiles.push(path);
      continue;
    }
    if (!feed) {
      console.error(`${path}: unknown feed kind (name it products*, members*, baskets*, deals* or content*, ending .csv, .ndjson or .json, or campaigns.json)`);
      status = 2;
      continue;
    }
    try {
      await access(path);
    } catch {
      console.error(`${path}: cannot read this file`);
      status = 2;
      continue;
    }
    inputs.push({ file: path, ...feed, chunks: () => readChunks(path) });
  }
  const db = await openDb({ ...(dbUrl ? { db: dbUrl } : {}), data });
  const all: RowError[] = [];
  let rejected = 0;
  try {
    await migrate(db);
    await importFeeds(db, inputs, {
      now: () => new Date(),
      onErrors(errors) {
        if (a.values.has('rejects')) all.push(...errors);
        for (const e of errors) {
          if (json) console.log(JSON.stringify({ file: e.file, line: e.line, field: e.field ?? null, message: describeRowError(e) }));
          else if (rejected < 100) console.log(`  ${e.file} line ${e.line}${e.field ? `, ${e.field}` : ''}: ${describeRowError(e)}`);
          rejected++;
        }
      },
      onSummary(s) {
        if (json) console.log(JSON.stringify({ file: s.file, kind: s.kind, accepted: s.accepted, rejected: s.rejected, changed: s.changed }));
        else console.log(`${s.file} (${s.kind}): ${s.accepted.toLocaleString('en')} accepted, ${s.rejected.toLocaleString('en')} rejected, ${s.changed.toLocaleString('en')} rows changed — ${s.lines.toLocaleString('en')} lines in ${s.seconds.toFixed(2)} s`);
      },
    });
    // Campaigns after the feeds (they name categories and segments, not rows): a bad file is refused whole.
    for (const path of campaignFiles) {
      try {
        const changed = await importCampaigns(db, await readFile(path, 'utf8'));
        console.log(json ? JSON.stringify({ file: path, kind: 'campaigns', changed }) : `${path} (campaigns): ${changed} changed`);
      } catch (e) {
        console.error(`${path}: ${e instanceof Error ? e.message : String(e)}`);
        status = 2;
      }
    }
  } finally {
    await db.close();
  }
  const rejectsPath = a.values.get('rejects');
  if (rejectsPath) await writeFile(rejectsPath, errorsToCsv(all, (e) => rowErrorText(e, 'en')));
  if (!json && rejected > 100) console.log(`  … and ${rejected - 100} more (use --json or --rejects for all)`);
  return status || (rejected ? 1 : 0);
}

/** Calls to the running service with the admin key. */
function adminClient(a: ReturnType<typeof parseArgs>, data: string) {
  const url = (a.values.get('url') ?? process.env.LARDER_HQ_URL ?? `http://127.0.0.1:${a.values.get('port') ?? 8787}`).replace(/\/+$/, '');
  return {
    async call(method: string, path: string, body?: unknown): Promise<unknown> {
      const key = await adminKey(data, false);
      let res: Response;
      try {
        res = await fetch(`${url}${path}`, {
          method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (e) {
        throw new Error(`headquarters does not answer at ${url} (start it with larder hq, or give --url): ${e instanceof Error ? e.message : String(e)}`);
      }
      const answer = await res.json().catch(() => ({})) as { error?: string };
      if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}: ${answer.error ?? 'no reason given'}`);
      return answer;
    },
  };
}

/** One line from stdin (a PIN typed or piped in). */
async function firstLine(prompt: string): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write(prompt);
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    rl.close();
    return line.trim();
  }
  return '';
}
