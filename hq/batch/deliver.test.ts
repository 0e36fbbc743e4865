// Delivery of the fortnightly batch on the demo store: e-mails through a local SMTP catcher on loopback (smtp-server),
// letters PDFs counted page by page (pdf-lib), once per (member, list), only to members who consented to contact.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseDay } from '../../core/dates.ts';
import { demoFeedFiles } from '../../cli/generate.ts';
import { generateDemoStore } from '../../demo/demo-store.ts';
import type { Db } from '../db/db.ts';
import { openTestDb } from '../test-support/dbs.ts';
import { testHq } from '../test-support/client.ts';
import { importTexts } from '../test-support/fixtures.ts';
import { deliver } from './deliver.ts';
import { smtpSender } from './mail.ts';
import { runBatch } from './run.ts';
import { run as hqCli } from '../cli.ts';

const store = generateDemoStore({ members: 60, days: 150, endDate: '2026-11-22' });
const files = demoFeedFiles(store);
const DAY = parseDay('2026-11-23')!;
/** The SMTP catcher's port, one per database's suite. */
const PORTS = { pglite: 9211, postgres: 9212 } as const;
const URL_BASE = 'https://hq.example.test';

// Every other member has an e-mail address; every third reads Chinese.
const emailOf = (i: number) => (i % 2 === 0 ? `m${i}@example.test` : '');
const localeOf = (i: number) => (i % 3 === 0 ? 'zh-CN' : 'en');
const [header, ...lines] = files['members.csv']!.trimEnd().split('\n');
const membersCsv = [`${header},email,locale`, ...lines.map((l, i) => `${l},${emailOf(i)},${localeOf(i)}`)].join('\n') + '\n';
const ids = lines.map((l) => l.split(',')[header!.split(',').indexOf('member_id')]!);
const byId = new Map(store.members.map((m) => [m.id, m]));
const contact = (id: string) => byId.get(id)!.consent.contact;

interface Caught { from: string; to: string[]; raw: string }

/** The words of a MIME part of `raw` whose Content-Type starts with `type`, decoded (base64 or quoted-printable). */
function part(raw: string, type: string): string {
  const at = raw.indexOf(`Content-Type: ${type}`);
  if (at < 0) return '';
  const head = raw.slice(at, raw.indexOf('\r\n\r\n', at));
  const bodyStart = raw.indexOf('\r\n\r\n', at) + 4;
  const body = raw.slice(bodyStart, raw.indexOf('\r\n----', bodyStart));
  if (/base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/quoted-printable/i.test(head)) {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}
const subjectOf = (raw: string) => {
  const m = /^Subject: (.*(?:\r\n .*)*)/m.exec(raw)![1]!.replace(/\r\n /g, ' ');
  return m.replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=\s*/gi, (_, k: string, t: string) => (k.toUpperCase() === 'B' ? Buffer.from(t, 'base64').toString('utf8') : t.replace(/_/g, ' ')));
};
const pages = async (path: string) => (await PDFDocument.load(readFileSync(path))).getPageCount();

// Both databases: the claims, the re-run and the unsubscribe are SQL that PGlite and PostgreSQL must agree on.
for (const kind of ['pglite', 'postgres'] as const) describe(`hq deliver [${kind}]`, () => {
  const PORT = PORTS[kind];
  let db: Db;
  let close: () => Promise<void>;
  let out: string;
  const caught: Caught[] = [];
  const refuse = new Set<string>();
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onRcptTo(address, _session, cb) {
      if (refuse.has(address.address)) cb(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        caught.push({ from: String(session.envelope.mailFrom && session.envelope.mailFrom.address), to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  const sender = () => smtpSender(`smtp://127.0.0.1:${PORT}`, 'Larder Market <lists@larder.example>');

  beforeAll(async () => {
    ({ db, close } = await openTestDb(kind));
    out = await mkdtemp(join(tmpdir(), 'larder-deliver-'));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(PORT, '127.0.0.1', () => resolve());
    });
    const summaries = await importTexts(db, { 'products.csv': files['products.csv']!, 'members.csv': membersCsv, 'deals.csv': files['deals.csv']!, 'content.json': files['content.json']!, 'baskets.csv': files['baskets.csv']! });
    expect(summaries.every((s) => s.rejected === 0)).toBe(true);
    await runBatch(db, { asOfDay: DAY });
  }, 120_000);
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await close?.();
    await rm(out, { recursive: true, force: true });
  });

  it('e-mails each consenting member with an address, in their language, with the code as an inline barcode and an unsubscribe link', async () => {
    const s = sender();
    const r = await deliver(db, { asOfDay: DAY, sender: s, publicUrl: URL_BASE, messageDomain: 'larder.example', out });
    s.close();
    const wanted = ids.filter((id, i) => contact(id) && emailOf(i));
    expect(wanted.length).toBeGreaterThan(5);
    expect(r.emailed).toBe(wanted.length);
    expect(r.failed).toBe(0);
    expect(caught.map((c) => c.to[0]).sort()).toEqual(wanted.map((id) => emailOf(ids.indexOf(id))).sort());
    const codes = new Map((await db.query<{ member_id: string; code: string }>('SELECT member_id, code FROM batch_lists WHERE as_of_day = $1', [DAY])).map((x) => [x.member_id, x.code]));
    for (const mail of caught) {
      const i = Number(/^m(\d+)@/.exec(mail.to[0]!)![1]);
      const id = ids[i]!;
      const text = part(mail.raw, 'text/plain');
      const html = part(mail.raw, 'text/html');
      expect(text).toContain(codes.get(id));
      expect(mail.raw).toMatch(/Content-Type: image\/png/);
      const cid = /src="cid:([^"]+)"/.exec(html)![1]!;
      expect(mail.raw).toContain(`Content-ID: <${cid}>`);
      expect(mail.raw).toMatch(/^List-Unsubscribe:\s+<https:\/\/hq\.example\.test\/v1\/unsubscribe\/[\w-]+\.[\w-]{22}>/m);
      expect(mail.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
      expect(html).toContain('/v1/unsubscribe/');
      if (localeOf(i) === 'zh-CN') {
        expect(subjectOf(mail.raw)).toMatch(/购物清单/);
        expect(text).toContain('结账时出示此码');
        expect(text).not.toContain('Show this code');
      } else {
        expect(subjectOf(mail.raw)).toMatch(/^Your Larder Market list, valid until /);
        expect(text).toContain('Show this code at the till');
      }
    }
    const [{ n }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM deliveries WHERE channel = 'email' AND status = 'sent'") as [{ n: number }];
    expect(n).toBe(wanted.length);
    // Nobody without consent to contact got anything.
    expect(r.no_consent).toBe(ids.filter((id) => !contact(id)).length);
  });

  it('writes one letters page per consenting member without an address, and none for the others', async () => {
    const lettered = ids.filter((id, i) => contact(id) && !emailOf(i));
    const path = join(out, `letters-S01-2026-11-23.pdf`);
    const perStore = (st: string) => lettered.filter((id) => byId.get(id)!.homeStore === st).length;
    const r = await deliver(db, { asOfDay: DAY, out });
    expect(r.letters).toBe(lettered.length);
    expect(r.letter_files.sort()).toEqual(['S01', 'S02'].map((st) => join(out, `letters-${st}-2026-11-23.pdf`)).filter((p) => r.letter_files.includes(p)).sort());
    expect(await pages(path)).toBe(perStore('S01'));
    const total = (await Promise.all(r.letter_files.map(pages))).reduce((a, b) => a + b, 0);
    expect(total).toBe(lettered.length);
    // A re-run writes the same letters again (the day's file), and records each letter once.
    const again = await deliver(db, { asOfDay: DAY, out });
    expect(again.letters).toBe(lettered.length);
    expect(await pages(path)).toBe(perStore('S01'));
    const [{ n }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM deliveries WHERE channel = 'letter'") as [{ n: number }];
    expect(n).toBe(lettered.length);
    expect(readFileSync(path).toString('latin1')).toContain('%PDF-');
  });

  it('a re-run sends nothing twice; a claim a crashed run left is sent again with the same Message-ID; a refused one is tried again', async () => {
    const before = caught.length;
    const s = sender();
    const again = await deliver(db, { asOfDay: DAY, sender: s, publicUrl: URL_BASE, messageDomain: 'larder.example' });
    expect(again.emailed).toBe(0);
    expect(again.already_sent).toBe(before);
    expect(caught.length).toBe(before);
    // A run that claimed a list, handed nothing over (or did, the server cannot tell us) and died: 'sending', stale.
    const [victim] = await db.query<{ list_id: string; message_id: string }>("SELECT list_id, message_id FROM deliveries WHERE channel = 'email' ORDER BY list_id LIMIT 1");
    await db.query("UPDATE deliveries SET status = 'sending', sent_at = NULL, claimed_at = now() - interval '1 hour' WHERE list_id = $1 AND channel = 'email'", [victim!.list_id]);
    // One still being sent by a live process (fresh claim) is left alone.
    const [live] = await db.query<{ list_id: string }>("SELECT list_id FROM deliveries WHERE channel = 'email' ORDER BY list_id OFFSET 1 LIMIT 1");
    await db.query("UPDATE deliveries SET status = 'sending', sent_at = NULL, claimed_at = now() WHERE list_id = $1 AND channel = 'email'", [live!.list_id]);
    const redo = await deliver(db, { asOfDay: DAY, sender: s, publicUrl: URL_BASE, messageDomain: 'larder.example' });
    expect([redo.emailed, redo.resent_unclaimed]).toEqual([1, 1]);
    expect(caught.length).toBe(before + 1);
    expect(caught.at(-1)!.raw).toContain(`Message-ID: ${victim!.message_id}`);
    // The server refuses a mailbox: recorded as failed with its answer, tried again on the next run.
    const [{ list_id: failing, email }] = await db.query<{ list_id: string; email: string }>(`SELECT d.list_id, m.data->>'email' AS email FROM deliveries d JOIN members m USING (member_id)
      WHERE d.channel = 'email' AND d.list_id <> $1 ORDER BY d.list_id DESC LIMIT 1`, [live!.list_id]) as [{ list_id: string; email: string }];
    await db.query("DELETE FROM deliveries WHERE list_id = $1 AND channel = 'email'", [failing]);
    refuse.add(email);
    const refused = await deliver(db, { asOfDay: DAY, sender: s, publicUrl: URL_BASE, messageDomain: 'larder.example' });
    expect([refused.emailed, refused.failed]).toEqual([0, 1]);
    const [row] = await db.query<{ status: string; error: string }>("SELECT status, error FROM deliveries WHERE list_id = $1 AND channel = 'email'", [failing]);
    expect(row!.status).toBe('failed');
    expect(row!.error).toMatch(/550/);
    refuse.clear();
    const retried = await deliver(db, { asOfDay: DAY, sender: s, publicUrl: URL_BASE, messageDomain: 'larder.example' });
    expect([retried.emailed, retried.failed]).toEqual([1, 0]);
    s.close();
  });

  it('the unsubscribe link withdraws consent to contact, once, for its own member only; a forged or borrowed token is refused', async () => {
    const hq = await testHq(db, { now: () => new Date('2026-11-25T10:00:00Z') });
    const tokenIn = (mail: Caught) => /\/v1\/unsubscribe\/([\w-]+\.[\w-]{22})/.exec(part(mail.raw, 'text/plain'))![1]!;
    const [a, b] = [caught[0]!, caught.find((c) => c.to[0] !== caught[0]!.to[0])!];
    const token = tokenIn(a);
    const memberA = Buffer.from(token.split('.')[0]!, 'base64url').toString();
    const memberB = Buffer.from(tokenIn(b).split('.')[0]!, 'base64url').toString();
    expect(memberA).not.toBe(memberB);
    const consentOf = async (id: string) => (await db.query<{ c: string }>("SELECT data->'consent'->>'contact' AS c FROM members WHERE member_id = $1", [id]))[0]!.c;
    // The page asks first; GET changes nothing.
    const page = await hq.request('GET', `/v1/unsubscribe/${token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    expect(await consentOf(memberA)).toBe('true');
    // Another member's id with A's signature, a changed signature, rubbish: 403, and nobody's consent moves.
    const borrowed = `${Buffer.from(memberB).toString('base64url')}.${token.split('.')[1]}`;
    const forged = `${token.slice(0, -3)}${token.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    for (const bad of [borrowed, forged, 'nothing']) {
      expect((await hq.json(hq.request('POST', `/v1/unsubscribe/${bad}`))).status, bad).toBe(403);
      expect((await hq.json(hq.request('GET', `/v1/unsubscribe/${bad}`))).status, bad).toBe(403);
    }
    expect(await consentOf(memberB)).toBe('true');
    const first = await hq.request('POST', `/v1/unsubscribe/${token}`);
    expect([first.status, first.headers.get('x-larder-withdrawn')]).toEqual([200, 'now']);
    expect(await consentOf(memberA)).toBe('false');
    const second = await hq.request('POST', `/v1/unsubscribe/${token}`);
    expect([second.status, second.headers.get('x-larder-withdrawn')]).toEqual([200, 'already']);
    const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM contact_withdrawals') as [{ n: number }];
    expect(n).toBe(1);
    // A members feed that still says consent_contact=true (A's row changed otherwise, so it is written again) does
    // not bring the e-mails back: the next batch day mails B and every other consenting member, not A.
    const ai = ids.indexOf(memberA);
    const changed = membersCsv.split('\n').map((l, i) => (i === ai + 1 ? l.replace(/,(en|zh-CN)$/, (_, x: string) => (x === 'en' ? ',zh-CN' : ',en')) : l)).join('\n');
    expect(changed).not.toBe(membersCsv);
    await importTexts(db, { 'members.csv': changed });
    expect(await consentOf(memberA)).toBe('true');
    await runBatch(db, { asOfDay: DAY + 14 });
    const s = sender();
    const before = caught.length;
    const next = await deliver(db, { asOfDay: DAY + 14, sender: s, publicUrl: URL_BASE, messageDomain: 'larder.example' });
    s.close();
    const to = caught.slice(before).map((c) => c.to[0]);
    expect(to).not.toContain(a.to[0]);
    expect(to).toContain(b.to[0]);
    expect(next.emailed).toBe(ids.filter((id, i) => contact(id) && emailOf(i)).length - 1);
  });

  it('refuses a day without a batch, an unknown store, and e-mail without a public address', async () => {
    await expect(deliver(db, { asOfDay: DAY + 1, out })).rejects.toThrow(/no batch for 2026-11-24/);
    await expect(deliver(db, { asOfDay: DAY, stores: ['S99'], out })).rejects.toThrow(/S99/);
    const s = sender();
    await expect(deliver(db, { asOfDay: DAY, sender: s })).rejects.toThrow(/public-url/);
    s.close();
  });

  it('larder hq deliver refuses bad arguments with its usage (exit 2) before opening any database', async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { errors.push(a.join(' ')); });
    try {
      const data = join(out, 'never-opened');
      expect(await hqCli(['deliver', '--data', data, '--out', out])).toBe(2);
      expect(await hqCli(['deliver', '--as-of', '2026-11-23', '--data', data])).toBe(2);
      expect(errors.join('\n')).toMatch(/nothing to do without --smtp/);
      expect(await hqCli(['deliver', '--as-of', '2026-11-23', '--data', data, '--smtp', `smtp://127.0.0.1:${PORT}`])).toBe(2);
      expect(errors.join('\n')).toMatch(/--public-url/);
      expect(await hqCli(['deliver', '--as-of', '2026-11-23', '--data', data, '--smtp', 'http://127.0.0.1', '--public-url', URL_BASE])).toBe(2);
      expect(errors.join('\n')).toMatch(/--smtp must be smtp:/);
      expect(errors.join('\n')).toContain('usage: larder hq deliver --as-of yyyy-mm-dd');
    } finally {
      spy.mockRestore();
    }
  });
});
