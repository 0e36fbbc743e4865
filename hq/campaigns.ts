// Campaigns into headquarters (`larder hq import campaigns.json`, and the demo's): checked whole by
// protocol/campaigns.ts, then written; a change reaches every device as `campaigns.json` of its next sync.
import { parseCampaigns } from '../protocol/campaigns.ts';
import { feedChange } from './audit.ts';
import type { Db } from './db/db.ts';

/** Campaigns (a JSON array, protocol/campaigns.ts): added or changed ones are written, and a feed change tells every
 * device to fetch `campaigns.json` again at its next sync. Returns how many changed; a bad file changes nothing. */
export async function importCampaigns(db: Db, text: string, now = new Date()): Promise<number> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new Error(`campaigns: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const parsed = parseCampaigns(body);
  if (!parsed.ok) throw new Error(`campaigns: ${parsed.detail ?? parsed.error}`);
  return db.transaction(async (tx) => {
    let n = 0;
    for (const c of parsed.value) {
      const data = JSON.stringify(c);
      n += (await tx.query(`INSERT INTO campaigns (campaign_id, data, row_hash, changed_seq) VALUES ($1, $2::jsonb, md5($2::text), 0)
        ON CONFLICT (campaign_id) DO UPDATE SET data = EXCLUDED.data, row_hash = EXCLUDED.row_hash WHERE campaigns.row_hash <> EXCLUDED.row_hash RETURNING 1`, [c.id, data])).length;
    }
    if (n > 0) await feedChange(tx, now, 'campaigns');
    return n;
  });
}
