// A member's controls and shown-items memory as headquarters keeps them, and the merge of changes sent by their
// devices: per product the control set latest (by the device's clock) wins, a "clear" kept as a tombstone so that an
// older "not for me" arriving later from an offline device does not come back; shown memory merges as recordShown
// does. Applying a change twice ends in the same state; the controls end the same whatever order changes come in.
import type { Day } from '../types.ts';
import { MUTE_DAYS } from './preferences.ts';
import { recordShown, type ShownMemory } from './variety.ts';

/** A control as kept: `kind` 'clear' is a tombstone. */
export interface KeptControl { productId: string; kind: 'not-for-me' | 'mute' | 'clear'; day: Day; at: number; untilDay?: Day }

/** A change from a device. */
export type PrefChangeInput =
  | { kind: 'control'; productId: string; control: 'not-for-me' | 'mute' | 'clear'; day: Day; at: number }
  | { kind: 'shown'; productIds: string[]; day: Day };

/** What headquarters keeps for one member. */
export interface KeptPrefs { controls: KeptControl[]; shown: ShownMemory }

const rank = { clear: 0, mute: 1, 'not-for-me': 2 } as const;

/** Whether control `a` is newer than `b` (ties by time broken by kind then day, so every order gives one answer). */
const newer = (a: KeptControl, b: KeptControl) => a.at !== b.at ? a.at > b.at : rank[a.kind] !== rank[b.kind] ? rank[a.kind] > rank[b.kind] : a.day > b.day;

/** The prefs after `changes` (a new object). Controls come out sorted by product id. */
export function mergePrefChanges(prefs: KeptPrefs, changes: readonly PrefChangeInput[]): KeptPrefs {
  const byProduct = new Map(prefs.controls.map((c) => [c.productId, c]));
  let shown = prefs.shown;
  for (const c of changes) {
    if (c.kind === 'shown') {
      shown = recordShown(shown, c.productIds, c.day);
      continue;
    }
    const next: KeptControl = { productId: c.productId, kind: c.control, day: c.day, at: c.at, ...(c.control === 'mute' ? { untilDay: c.day + MUTE_DAYS } : {}) };
    const old = byProduct.get(c.productId);
    if (!old || newer(next, old)) byProduct.set(c.productId, next);
  }
  const controls = [...byProduct.values()].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
  return { controls, shown };
}

/** The controls a member pack carries: tombstones left out, mutes run out by `today` too. */
export function packControls(controls: readonly KeptControl[], today: Day): { productId: string; kind: 'not-for-me' | 'mute'; untilDay?: number }[] {
  const out: { productId: string; kind: 'not-for-me' | 'mute'; untilDay?: number }[] = [];
  for (const c of controls) {
    if (c.kind === 'not-for-me') out.push({ productId: c.productId, kind: 'not-for-me' });
    else if (c.kind === 'mute' && (c.untilDay ?? 0) > today) out.push({ productId: c.productId, kind: 'mute', untilDay: c.untilDay! });
  }
  return out;
}
