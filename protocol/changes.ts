// `GET /v1/changes?since=`: the feed change list of worker/hq-feed.ts, plus the members erased since the cursor.

/** One file of a change set (`url` relative to the change list's base). */
export interface ChangeFile {
  name: string;
  url: string;
  etag?: string;
}

/** The change list: files to import in order, then the cursor to store. `erasures` are member ids the device
 * must delete (an erasure at headquarters reaches every device at its next contact). */
export interface ChangeList {
  cursor: string;
  files: ChangeFile[];
  erasures: string[];
}

/** The campaigns' file in a change list (JSON, protocol/campaigns.ts); every other file is a feed of DESIGN.md. */
export const CAMPAIGNS_FILE = 'campaigns.json';
