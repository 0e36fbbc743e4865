// `larder hq deliver`: after the batch, each stored list of the day goes to its member if they consented to contact
// (`consent_contact`, and no withdrawal through an unsubscribe link): by e-mail when the members feed gave an address,
// otherwise as a page of the store's letters PDF. Once per (list, channel), recorded in `deliveries` (migration 006):
// an e-mail is claimed before it is handed to the SMTP server and marked sent once the server accepted it, so a re-run
// sends nothing twice; a claim a dead process left behind is sent again with the same Message-ID after `staleSeconds`.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { formatDay } from '../../core/dates.ts';
import type { ShoppingList } from '../../core/types.ts';
import { deliveryWords, listWords } from '../../i18n/delivery.ts';
import type { Locale } from '../../i18n/translation.ts';
import type { Db } from '../db/db.ts';
import { openLetters } from './letters.ts';
import type { Sender } from './mail.ts';
import { deliverySecret, unsubscribeToken } from './unsubscribe.ts';

const DAY_MS = 86_400_000;
const PAGE = 500;

/** What `deliver` needs. */
export interface DeliverOptions {
  asOfDay: number;
  stores?: string[];
  /** The SMTP sender; without one no e-mail is sent (members with an address are counted as `mail_skipped`). */
  sender?: Sender;
  /** Headquarters' public address, for the unsubscribe links (required with a sender). */
  publicUrl?: string;
  /** The domain of the Message-IDs (the sender address's). */
  messageDomain?: string;
  /** Folder for the letters PDFs (`letters-S01-2026-11-23.pdf`); without one no letters are written. */
  out?: string;
  cjkFont?: string;
  /** E-mails handed to the SMTP server at once (default 4). */
  concurrency?: number;
  /** A claim older than this is taken to be a dead process's (default 600 s). */
  staleSeconds?: number;
  now?: () => Date;
  progress?: (text: string) => void;
}

/** What a delivery run did. */
export interface DeliverSummary {
  as_of: string;
  stores: number;
  lists: number;
  no_consent: number;
  emailed: number;
  already_sent: number;
  resent_unclaimed: number;
  failed: number;
  mail_skipped: number;
  letters: number;
  letters_in_english: number;
  letter_files: string[];
  seconds: number;
  mails_per_s: number;
}

interface Row { member_id: string; list_id: string; list: Uint8Array; email: string | null; locale: string | null; first_name: string | null; contact: boolean; status: string | null; stale: boolean | null }

const localeOf = (text: string | null): Locale => (text === 'zh-CN' ? 'zh-CN' : 'en');

/** Deliver a batch day's lists. Throws on a day with no batch, or an unknown store. */
export async function deliver(db: Db, o: DeliverOptions): Promise<DeliverSummary> {
  const now = o.now ?? (() => new Date());
  const t0 = performance.now();
  if (o.sender && !o.publicUrl) throw new Error('e-mails need headquarters\' public address for their unsubscribe links (--public-url or LARDER_PUBLIC_URL)');
  const [run] = await db.query<{ stores: string[] }>('SELECT stores FROM batch_runs WHERE as_of_day = $1', [o.asOfDay]);
  if (!run) throw new Error(`no batch for ${formatDay(o.asOfDay)}: run larder hq batch --as-of ${formatDay(o.asOfDay)} first`);
  const stores = o.stores ?? [...run.stores].sort();
  const unknown = stores.filter((s) => !run.stores.includes(s));
  if (unknown.length) throw new Error(`the batch of ${formatDay(o.asOfDay)} has no store ${unknown.join(', ')}`);
  const secret = await deliverySecret(db);
  const base = o.publicUrl?.replace(/\/+$/, '');
  const domain = o.messageDomain ?? 'larder.invalid';
  const stale = o.staleSeconds ?? 600;
  const s: DeliverSummary = { as_of: formatDay(o.asOfDay), stores: stores.length, lists: 0, no_consent: 0, emailed: 0, already_sent: 0, resent_unclaimed: 0, failed: 0, mail_skipped: 0, letters: 0, letters_in_english: 0, letter_files: [], seconds: 0, mails_per_s: 0 };
  if (o.out) await mkdir(o.out, { recursive: true });
  let mailSeconds = 0;
  for (const store of stores) {
    const path = o.out ? join(o.out, `letters-${store}-${formatDay(o.asOfDay)}.pdf`) : undefined;
    const letters = path ? openLetters(path, { ...(o.cjkFont ? { cjkFont: o.cjkFont } : {}), date: new Date(o.asOfDay * DAY_MS), title: `${store} ${formatDay(o.asOfDay)}` }) : undefined;
    const lettered: { member: string; list: string }[] = [];
    let after = '';
    for (;;) {
      const rows = await db.query<Row>(`SELECT b.member_id, b.list_id, b.list, m.data->>'email' AS email, m.data->>'locale' AS locale,
          m.data->>'firstName' AS first_name, (m.data->'consent'->>'contact') = 'true' AND w.member_id IS NULL AS contact,
          d.status, d.claimed_at < $4::timestamptz - make_interval(secs => $5) AS stale
        FROM batch_lists b JOIN members m ON m.member_id = b.member_id
        LEFT JOIN contact_withdrawals w ON w.member_id = b.member_id
        LEFT JOIN deliveries d ON d.list_id = b.list_id AND d.channel = 'email'
        WHERE b.as_of_day = $1 AND b.store_id = $2 AND b.member_id > $3 ORDER BY b.member_id LIMIT ${PAGE}`, [o.asOfDay, store, after, now().toISOString(), stale]);
      if (!rows.length) break;
      after = rows[rows.length - 1]!.member_id;
      s.lists += rows.length;
      const mails: Row[] = [];
      for (const r of rows) {
        if (!r.contact) s.no_consent++;
        else if (r.email) {
          if (r.status === 'sent' || (r.status === 'sending' && !r.stale)) s.already_sent++;
          else if (!o.sender) s.mail_skipped++;
          else mails.push(r);
        } else if (letters) {
          const list = JSON.parse(gunzipSync(Buffer.from(r.list)).toString()) as ShoppingList;
          const locale = letters.speaks(localeOf(r.locale)) ? localeOf(r.locale) : 'en';
          if (locale !== localeOf(r.locale)) s.letters_in_english++;
          await letters.add({ memberId: r.member_id, memberLabel: deliveryWords(locale).member(r.member_id), words: listWords(list, r.first_name ? { firstName: r.first_name } : {}, locale) });
          lettered.push({ member: r.member_id, list: r.list_id });
        }
      }
      if (mails.length && o.sender) {
        const m0 = performance.now();
        await sendPage(db, o.sender, mails, { store, day: o.asOfDay, base: base!, secret, domain, stale, now, concurrency: o.concurrency ?? 4, summary: s });
        mailSeconds += (performance.now() - m0) / 1000;
      }
      o.progress?.(`deliver ${s.as_of} ${store}: ${s.lists.toLocaleString('en')} lists, ${s.emailed.toLocaleString('en')} e-mailed, ${(s.letters + lettered.length).toLocaleString('en')} letters`);
    }
    if (letters && path) {
      await letters.close();
      s.letter_files.push(path);
      s.letters += lettered.length;
      for (let i = 0; i < lettered.length; i += PAGE) {
        const part = lettered.slice(i, i + PAGE);
        await db.query(`INSERT INTO deliveries (list_id, channel, member_id, store_id, as_of_day, status, claimed_at, sent_at)
          SELECT l, 'letter', m, $3, $4, 'sent', $5, $5 FROM unnest($1::text[], $2::text[]) AS t(l, m) ON CONFLICT (list_id, channel) DO NOTHING`,
          [part.map((p) => p.list), part.map((p) => p.member), store, o.asOfDay, now().toISOString()]);
      }
    }
  }
  s.seconds = Math.round((performance.now() - t0) / 10) / 100;
  s.mails_per_s = mailSeconds > 0 ? Math.round(s.emailed / mailSeconds) : 0;
  return s;
}

interface PageContext { store: string; day: number; base: string; secret: string; domain: string; stale: number; now: () => Date; concurrency: number; summary: DeliverSummary }

/** Claim, send and record one page's e-mails, `concurrency` at a time. */
async function sendPage(db: Db, sender: Sender, rows: Row[], c: PageContext): Promise<void> {
  let next = 0;
  const one = async (r: Row) => {
    const messageId = `<${r.list_id}.${c.day}@${c.domain}>`;
    // The claim: a new row, or a failed one, or one a dead process left 'sending' — never one that was sent or that
    // another process holds now.
    const at = c.now().toISOString();
    const [claim] = await db.query<{ attempts: number; was: string | null }>(`INSERT INTO deliveries (list_id, channel, member_id, store_id, as_of_day, status, message_id, claimed_at)
      VALUES ($1, 'email', $2, $3, $4, 'sending', $5, $6)
      ON CONFLICT (list_id, channel) DO UPDATE SET status = 'sending', attempts = deliveries.attempts + 1, claimed_at = EXCLUDED.claimed_at, error = NULL
        WHERE deliveries.status = 'failed' OR (deliveries.status = 'sending' AND deliveries.claimed_at < EXCLUDED.claimed_at - make_interval(secs => $7))
      RETURNING attempts, (SELECT status FROM deliveries WHERE list_id = $1 AND channel = 'email') AS was`, [r.list_id, r.member_id, c.store, c.day, messageId, at, c.stale]);
    if (!claim) {
      c.summary.already_sent++;
      return;
    }
    if (claim.was === 'sending') c.summary.resent_unclaimed++;
    const list = JSON.parse(gunzipSync(Buffer.from(r.list)).toString()) as ShoppingList;
    const locale = localeOf(r.locale);
    const words = listWords(list, r.first_name ? { firstName: r.first_name } : {}, locale);
    try {
      await sender.send({ to: r.email!, messageId, words, unsubscribeUrl: `${c.base}/v1/unsubscribe/${unsubscribeToken(c.secret, r.member_id)}` });
    } catch (e) {
      c.summary.failed++;
      await db.query("UPDATE deliveries SET status = 'failed', error = $2 WHERE list_id = $1 AND channel = 'email'", [r.list_id, String((e as Error).message).slice(0, 500)]);
      return;
    }
    await db.query("UPDATE deliveries SET status = 'sent', sent_at = $2 WHERE list_id = $1 AND channel = 'email'", [r.list_id, c.now().toISOString()]);
    c.summary.emailed++;
  };
  const lane = async () => {
    while (next < rows.length) await one(rows[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(c.concurrency, rows.length) }, lane));
}
