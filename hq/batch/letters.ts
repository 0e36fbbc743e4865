// A store's letters of one batch day as one print-ready PDF (pdfkit): one A4 page per member, the kiosk's A4 print
// laid out again (the store and dates, the greeting, the items in two columns with their reasons and offers, coupons
// and rewards, the list code as a barcode), the member id in the corner for the mail house that puts the addresses on.
// A page never flows onto a second one: every text has its box, and items past the page's room are counted instead.
import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import PDFDocument from 'pdfkit';
import type { ListWords } from '../../i18n/delivery.ts';
import { barcodePng } from './mail.ts';

const MM = 72 / 25.4;
const A4 = { w: 595.28, h: 841.89 };
const M = 15 * MM;
const INK = '#1d2b22';
const GREY = '#555555';

/** One letter. */
export interface Letter {
  memberId: string;
  memberLabel: string;
  words: ListWords;
}

/** Options of {@link openLetters}. */
export interface LettersOptions {
  /** A TrueType/OpenType font with Chinese glyphs (e.g. Noto Sans SC): without one, pdfkit's Helvetica has none. */
  cjkFont?: string;
  /** The PDF's creation date (the batch day, so a re-run writes the same document). */
  date: Date;
  title: string;
}

/** A PDF being written to `path` (through `path.part`, renamed when finished). */
export function openLetters(path: string, options: LettersOptions) {
  const doc = new PDFDocument({ size: 'A4', margin: M, autoFirstPage: false, info: { Title: options.title, Creator: 'larder hq deliver', CreationDate: options.date, ModDate: options.date } });
  if (options.cjkFont) doc.registerFont('cjk', options.cjkFont);
  const out = createWriteStream(`${path}.part`);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
    doc.on('error', reject);
  });
  doc.pipe(out);
  let pages = 0;
  return {
    /** Whether a letter in this locale can be printed in its own words (Chinese needs `cjkFont`). */
    speaks: (locale: string) => locale !== 'zh-CN' || options.cjkFont !== undefined,
    async add(letter: Letter): Promise<void> {
      await page(doc, letter, options.cjkFont !== undefined && letter.words.locale === 'zh-CN');
      pages++;
    },
    get pages() {
      return pages;
    },
    /** Finish the document and put it in place. */
    async close(): Promise<void> {
      doc.end();
      await done;
      await rename(`${path}.part`, path);
    },
  };
}

type Doc = InstanceType<typeof PDFDocument>;

async function page(doc: Doc, letter: Letter, cjk: boolean): Promise<void> {
  const w = letter.words;
  const regular = cjk ? 'cjk' : 'Helvetica';
  const bold = cjk ? 'cjk' : 'Helvetica-Bold';
  const width = A4.w - 2 * M;
  const box = (text: string, x: number, y: number, wd: number, size: number, font = regular, color = INK, align: 'left' | 'right' | 'center' = 'left') =>
    doc.font(font).fontSize(size).fillColor(color).text(text, x, y, { width: wd, height: size * 1.3, lineBreak: false, ellipsis: true, align });
  doc.addPage();
  box(`${w.store} · ${w.dates}`, M, M, width * 0.7, 9, regular, GREY);
  box(letter.memberLabel, M + width * 0.7, M, width * 0.3, 9, regular, GREY, 'right');
  box(w.hello, M, M + 18, width, 22, bold);
  let y = M + 50;
  doc.moveTo(M, y).lineTo(M + width, y).lineWidth(1.7).strokeColor(INK).stroke();
  y += 8;
  box(w.sub, M, y, width, 11);
  y += 20;
  if (w.note) {
    doc.font(regular).fontSize(10).fillColor(INK).text(w.note, M, y, { width, height: 30, ellipsis: true });
    y += 34;
  }
  // Two columns of item boxes, then the coupons and rewards, above the barcode block.
  const footTop = A4.h - M - 120;
  const extras = [...w.coupons, ...w.rewards.map((r) => `${r.title} — ${r.body}`)];
  const extrasHeight = extras.length ? Math.min(extras.length, 4) * 15 + 6 : 0;
  const rowH = 50;
  const gap = 6 * MM;
  const colW = (width - gap) / 2;
  const rows = Math.max(0, Math.floor((footTop - extrasHeight - y) / (rowH + 6)));
  const shown = w.items.slice(0, rows * 2);
  shown.forEach((item, i) => {
    const x = M + (i % 2) * (colW + gap);
    const top = y + Math.floor(i / 2) * (rowH + 6);
    doc.roundedRect(x, top, colW, rowH, 5).lineWidth(0.8).strokeColor('#b9b2a3').stroke();
    const price = item.was ? `${item.price} (${item.was})` : item.price;
    box(item.name, x + 8, top + 6, colW - 100, 11, bold);
    box(price, x + colW - 96, top + 6, 88, 11, bold, INK, 'right');
    const why = [item.due, item.reason].filter(Boolean).join(' · ');
    if (why) box(why, x + 8, top + 21, colW - 16, 9, regular, GREY);
    if (item.offer) box(item.offer, x + 8, top + 34, colW - 16, 10, regular, '#8a3b12');
  });
  y += Math.ceil(shown.length / 2) * (rowH + 6);
  if (w.items.length > shown.length) {
    box(`+ ${w.items.length - shown.length}`, M, y, width, 10, regular, GREY);
    y += 14;
  }
  for (const text of extras.slice(0, 4)) {
    box(text, M, y + 2, width, 10);
    y += 15;
  }
  const png = await barcodePng(w.code);
  const codeW = 100 * MM;
  doc.image(png, M + (width - codeW) / 2, footTop + 4, { width: codeW, height: 70 });
  box(w.showCode, M, footTop + 80, width, 10, regular, INK, 'center');
  box(w.whyYou, M, footTop + 100, width, 8, regular, GREY, 'center');
}
