// `larder hq deliver --as-of yyyy-mm-dd`: the batch day's lists to the members who consented to contact, by e-mail
// over SMTP and as a letters PDF per store (hq/batch/deliver.ts). A step of its own after `larder hq batch`: an SMTP
// outage or a printer's deadline never holds up making the lists, and it runs again as often as needed.
import { parseDay } from '../../core/dates.ts';
import type { parseArgs } from '../../cli/args.ts';
import { migrate } from '../db/migrate.ts';
import { openDb } from '../server.ts';
import { deliver } from './deliver.ts';
import { smtpSender } from './mail.ts';

type Args = ReturnType<typeof parseArgs>;

export const DELIVER_USAGE = 'usage: larder hq deliver --as-of yyyy-mm-dd [--stores S01,S02] [--smtp smtp://host:port] [--from ADDRESS] [--public-url URL] [--out DIR] [--cjk-font FILE] [--db URL | --data DIR] [--json]';

/** `larder hq deliver`; exit 1 when an e-mail failed (it is tried again on the next run), 2 on bad arguments. */
export async function deliverCommand(a: Args, data: string, dbUrl: string | undefined): Promise<number> {
  const asOf = parseDay(a.values.get('as-of') ?? '');
  const stores = a.values.get('stores')?.split(',').map((s) => s.trim()).filter(Boolean);
  const smtp = a.values.get('smtp') ?? process.env.LARDER_SMTP_URL;
  const from = a.values.get('from') ?? process.env.LARDER_MAIL_FROM ?? 'Larder Market <lists@larder.invalid>';
  const publicUrl = a.values.get('public-url') ?? process.env.LARDER_PUBLIC_URL;
  const out = a.values.get('out');
  const cjkFont = a.values.get('cjk-font') ?? process.env.LARDER_CJK_FONT;
  if (asOf === undefined || (stores && !stores.length) || (!smtp && !out)) {
    console.error(DELIVER_USAGE);
    if (asOf !== undefined && !smtp && !out) console.error('larder hq deliver: nothing to do without --smtp (e-mails) or --out (letters)');
    return 2;
  }
  if (smtp && !publicUrl) {
    console.error('larder hq deliver: e-mails need headquarters\' public address for their unsubscribe links (--public-url or LARDER_PUBLIC_URL)');
    return 2;
  }
  let sender: ReturnType<typeof smtpSender> | undefined;
  try {
    sender = smtp ? smtpSender(smtp, from) : undefined;
  } catch (e) {
    console.error(`larder hq deliver: ${(e as Error).message}`);
    return 2;
  }
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'larder.invalid';
  const db = await openDb({ ...(dbUrl ? { db: dbUrl } : {}), data });
  try {
    await migrate(db);
    const progress = (text: string) => (process.stderr.isTTY ? process.stderr.write(`\r${text}\x1b[K`) : process.stderr.write(`${text}\n`));
    const s = await deliver(db, {
      asOfDay: asOf, ...(stores ? { stores } : {}), ...(sender ? { sender } : {}), ...(publicUrl ? { publicUrl } : {}),
      ...(out ? { out } : {}), ...(cjkFont ? { cjkFont } : {}), messageDomain: domain, progress,
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    if (s.letters_in_english) console.error(`larder hq deliver: ${s.letters_in_english} Chinese letters printed in English (no --cjk-font)`);
    if (a.flags.has('json')) console.log(JSON.stringify(s));
    else {
      console.log(`deliver ${s.as_of}: ${s.emailed.toLocaleString('en')} e-mailed (${s.mails_per_s}/s), ${s.already_sent.toLocaleString('en')} already sent, ${s.failed} failed, `
        + `${s.letters.toLocaleString('en')} letters in ${s.letter_files.length} PDFs, ${s.no_consent.toLocaleString('en')} without consent to contact, of ${s.lists.toLocaleString('en')} lists in ${s.seconds} s`);
    }
    return s.failed ? 1 : 0;
  } catch (e) {
    console.error(`larder hq deliver: ${(e as Error).message}`);
    return 2;
  } finally {
    sender?.close();
    await db.close();
  }
}
