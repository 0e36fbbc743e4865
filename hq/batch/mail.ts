// A delivered list as an e-mail: HTML and plain text from the same words (i18n/delivery.ts), the list code as a
// CODE 128 barcode PNG attached inline (cid:), an unsubscribe link in the body and in the List-Unsubscribe headers
// (RFC 2369 and RFC 8058's one-click POST). Sent through nodemailer over SMTP.
import bwipjs from 'bwip-js/node';
import nodemailer from 'nodemailer';
import type { ListWords } from '../../i18n/delivery.ts';

/** The list code as a PNG barcode, as the kiosk prints it (CODE 128, digits under the bars). */
export const barcodePng = (code: string): Promise<Buffer> =>
  bwipjs.toBuffer({ bcid: 'code128', text: code, scale: 3, height: 14, includetext: true, textxalign: 'center', paddingwidth: 8, paddingheight: 4, backgroundcolor: 'FFFFFF' });

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The e-mail's HTML body: the kiosk's A4 layout in a table a mail client renders. */
export function mailHtml(w: ListWords, unsubscribeUrl: string, cid: string): string {
  const items = w.items.map((i) => `<tr><td style="padding:8px 10px;border:1px solid #b9b2a3;border-radius:6px">`
    + `<strong>${esc(i.name)}</strong> <span style="float:right">${i.was ? `<s>${esc(i.was)}</s> ` : ''}<b>${esc(i.price)}</b></span>`
    + (i.due || i.reason ? `<br><small>${esc([i.due, i.reason].filter(Boolean).join(' · '))}</small>` : '')
    + (i.offer ? `<br><span style="color:#8a3b12">★ ${esc(i.offer)}</span>` : '') + '</td></tr>').join('');
  return `<!doctype html><html lang="${w.locale}"><head><meta charset="utf-8"><title>${esc(w.subject)}</title></head>`
    + `<body style="font-family:Arial,sans-serif;color:#1d2b22;max-width:640px;margin:0 auto;padding:16px">`
    + `<p style="margin:0;color:#555">${esc(w.store)} · ${esc(w.valid)}</p>`
    + `<h1 style="font-size:24px;border-bottom:2px solid #1d2b22;padding-bottom:6px">${esc(w.hello)}</h1>`
    + `<p>${esc(w.intro)}</p>`
    + (w.note ? `<p style="background:#f3efe6;padding:8px">${esc(w.note)}</p>` : '')
    + `<table role="list" style="width:100%;border-collapse:separate;border-spacing:0 6px">${items}</table>`
    + w.coupons.map((c) => `<p style="background:#f3efe6;padding:8px">${esc(c)}</p>`).join('')
    + w.rewards.map((r) => `<p><strong>${esc(r.title)}</strong> — ${esc(r.body)}</p>`).join('')
    + `<p style="text-align:center;margin-top:24px"><img src="cid:${cid}" alt="${esc(w.code)}" width="360"><br>${esc(w.showCode)}</p>`
    + `<p style="font-size:12px;color:#555;border-top:1px solid #ccc;padding-top:8px">${esc(w.whyYou)} <a href="${esc(unsubscribeUrl)}">${esc(w.unsubscribe)}</a></p>`
    + '</body></html>';
}

/** The e-mail's plain-text body: the same words. */
export function mailText(w: ListWords, unsubscribeUrl: string): string {
  const lines = [`${w.store} · ${w.valid}`, '', w.hello, w.intro, ''];
  if (w.note) lines.push(w.note, '');
  for (const i of w.items) {
    lines.push(`- ${i.name}  ${i.was ? `(${i.was}) ` : ''}${i.price}`);
    if (i.due || i.reason) lines.push(`  ${[i.due, i.reason].filter(Boolean).join(' · ')}`);
    if (i.offer) lines.push(`  * ${i.offer}`);
  }
  if (w.coupons.length || w.rewards.length) lines.push('');
  for (const c of w.coupons) lines.push(c);
  for (const r of w.rewards) lines.push(`${r.title} — ${r.body}`);
  lines.push('', `${w.showCode} ${w.code}`, '', `${w.whyYou}`, `${w.unsubscribe}: ${unsubscribeUrl}`, '');
  return lines.join('\n');
}

/** One e-mail to send. */
export interface Mail {
  to: string;
  messageId: string;
  words: ListWords;
  unsubscribeUrl: string;
}

/** An SMTP sender: `smtp://host:port` (or smtps://, user and password in the URL), one pooled connection per sender. */
export function smtpSender(url: string, from: string, options: { pool?: number } = {}) {
  const u = new URL(url);
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error(`--smtp must be smtp://host:port or smtps://host:port, not ${url}`);
  const transport = nodemailer.createTransport({
    host: u.hostname, port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 25)), secure: u.protocol === 'smtps:',
    ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
    pool: true, maxConnections: options.pool ?? 2, maxMessages: Infinity,
    // A local catcher or a relay on the same network: no STARTTLS demanded, but used when offered.
    ...(u.searchParams.get('tls') === 'require' ? { requireTLS: true } : {}),
  });
  return {
    /** Send one list; resolves once the server accepted it (250), rejects with its answer otherwise. */
    async send(m: Mail): Promise<{ response: string }> {
      const png = await barcodePng(m.words.code);
      const cid = `code-${m.words.code}@larder`;
      const info = await transport.sendMail({
        from, to: m.to, subject: m.words.subject, messageId: m.messageId,
        headers: { 'List-Unsubscribe': `<${m.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        text: mailText(m.words, m.unsubscribeUrl),
        html: mailHtml(m.words, m.unsubscribeUrl, cid),
        attachments: [{ filename: `${m.words.code}.png`, content: png, contentType: 'image/png', cid, contentDisposition: 'inline' }],
      });
      return { response: String(info.response) };
    },
    close: () => transport.close(),
  };
}

/** What the sender gives the delivery loop. */
export type Sender = Pick<ReturnType<typeof smtpSender>, 'send' | 'close'>;
