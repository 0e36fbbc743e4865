// The signed-in shopper's controls on their way to headquarters (`POST /v1/members/me/prefs`), loaded on the first
// control or when changes are waiting: each change is queued in the web database first, sent with the member token,
// and dropped from the queue once headquarters confirmed it. Unreachable or failing: kept, and sent again at the next
// visit signed in as the same member (changes are idempotent at headquarters, so a lost answer costs nothing). The
// queue goes with the pack when the device forgets the member.
import type { Day } from '../core/types.ts';
import { applyControl, type ItemControl, type ItemControls } from '../core/lists/preferences.ts';
import type { PrefChange } from '../protocol/member-prefs.ts';
import type { WebDB } from './web-session.ts';

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** Where and as whom to send: `token` absent (or headquarters unreachable at this visit) → kept queued. */
export interface PrefsTarget { d: WebDB; url: URL; token?: string; memberId: string; doFetch: Fetch }

/** Batches go one at a time. */
let sending: Promise<unknown> = Promise.resolve();

function send(t: PrefsTarget): Promise<unknown> {
  const token = t.token;
  if (!token) return sending;
  sending = sending.then(() => sendQueued(t.d, t.url, token, t.memberId, t.doFetch)).catch(() => undefined);
  return sending;
}

/** Settles when the batch being sent has been answered (or failed). */
export const idle = (): Promise<unknown> => sending;

/** A control made here: queued (before the page is answered, so closing it now keeps it), then sent in the background. */
export async function controlMade(t: PrefsTarget, productId: string, control: ItemControl, day: Day): Promise<void> {
  await queueControl(t.d, t.memberId, productId, control, day);
  void send(t);
}

/** At a visit with changes queued: `controls` with them on top, and the queue sent (when `t.token` is given). */
export async function resume(t: PrefsTarget, controls: ItemControls): Promise<ItemControls> {
  const next = await withQueued(t.d, t.memberId, controls);
  void send(t);
  return next;
}

/** Queue one control of `memberId` (the device's clock orders it against their other devices' changes). */
export async function queueControl(d: WebDB, memberId: string, productId: string, control: ItemControl, day: Day): Promise<void> {
  await d.add('outbox', { memberId, change: { kind: 'control', productId, control, day, at: Date.now() } });
}

/** `controls` with the member's queued changes applied on top (a pack from before them, e.g. sent while offline). */
export async function withQueued(d: WebDB, memberId: string, controls: ItemControls): Promise<ItemControls> {
  for (const { memberId: m, change: c } of await d.getAll('outbox')) if (m === memberId && c.kind === 'control') controls = applyControl(controls, c.productId, c.control, c.day);
  return controls;
}

/** Send the member's queued changes; those headquarters confirmed (or refused as malformed) leave the queue, and
 * another member's are dropped. Answers whether the queue is now empty of theirs. */
export async function sendQueued(d: WebDB, url: URL, token: string, memberId: string, doFetch: Fetch): Promise<boolean> {
  const keys = await d.getAllKeys('outbox');
  const values = await d.getAll('outbox');
  const mine: { key: number; change: PrefChange }[] = [];
  for (let i = 0; i < keys.length; i++) {
    if (values[i]!.memberId === memberId) mine.push({ key: keys[i]!, change: values[i]!.change });
    else await d.delete('outbox', keys[i]!);
  }
  for (let at = 0; at < mine.length; at += 500) {
    const batch = mine.slice(at, at + 500);
    let status: number;
    try {
      status = (await doFetch(url, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ changes: batch.map((b) => b.change) }),
      })).status;
    } catch {
      return false;
    }
    if (status !== 200 && status !== 422) return false;
    const tx = d.transaction('outbox', 'readwrite');
    await Promise.all([...batch.map((b) => tx.store.delete(b.key)), tx.done]);
  }
  return true;
}
