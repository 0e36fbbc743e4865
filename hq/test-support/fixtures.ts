// Test data for headquarters: feed texts imported through the real importer, list codes signed with a store's ring.
import { createHmac } from 'node:crypto';
import { issueListCode } from '../../core/checkout/list-code.ts';
import { feedFromName } from '../../core/feeds/index.ts';
import { keyRingFromWire, type KeyRingWire } from '../../protocol/devices.ts';
import type { Db } from '../db/db.ts';
import { importFeeds, type ImportSummary } from '../import.ts';

/** Import feed files given as name → text. */
export async function importTexts(db: Db, files: Record<string, string>): Promise<ImportSummary[]> {
  const inputs = Object.entries(files).map(([name, text]) => ({ file: name, ...feedFromName(name)!, chunks: async function* () { yield text; } }));
  return importFeeds(db, inputs, { now: () => new Date() });
}

/** A list code as a till of the store signs it, with the ring headquarters sent (`keyId` defaults to the current). */
export async function signedCode(wire: KeyRingWire, day: number, serial: number, keyId = wire.current): Promise<string> {
  const ring = keyRingFromWire(wire);
  return issueListCode({ keyId, day, serial }, async (id, message) => {
    const secret = ring.keys[id];
    return secret ? new Uint8Array(createHmac('sha256', secret).update(message).digest()) : new Uint8Array(0);
  });
}

/** Members with valid EAN-13 card codes (check digit computed), homed at the given stores in turn. */
export function membersCsv(ids: string[], stores: string[]): string {
  const rows = ids.map((id, i) => {
    const twelve = String(200000000000 + i);
    let sum = 0;
    for (let k = 0; k < 12; k++) sum += Number(twelve[k]) * (k % 2 === 0 ? 1 : 3);
    return `${id},${twelve}${(10 - (sum % 10)) % 10},true,,${stores[i % stores.length]}`;
  });
  return ['member_id,card_code,consent_personalise,first_name,home_store', ...rows].join('\n') + '\n';
}

/** A small catalogue and deals: P1..Pn in two categories, a budgeted manufacturer deal and an unbudgeted store deal. */
export const catalogueCsv = (n = 4) => ['product_id,name,category,brand,brand_type,price_cents',
  ...Array.from({ length: n }, (_, i) => `P${i + 1},Product ${i + 1},${i % 2 ? 'health/analgesics' : 'dairy/milk'},${i % 2 ? 'Acme' : 'Store'},${i % 2 ? 'national' : 'store'},${100 + i}`)].join('\n') + '\n';
export const dealsCsv = (budgetCents = 1000) => ['deal_id,scope_type,scope,kind,value,start,end,funder,budget_cents',
  `D1,category,health,percent,10,2026-01-01,2027-12-31,acme,${budgetCents}`,
  'D2,category,dairy,amount,20,2026-01-01,2027-12-31,store,'].join('\n') + '\n';
