// The lists room: a card scan, a member's list (the current one, or a new one handed out before it is written), the
// overnight batch. What a list holds is decided in core/lists/compose.ts; this room reads, signs and stores.
import type { Day, Member, ShoppingList } from '../../core/types.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { isValidEan13 } from '../../core/ean.ts';
import type { PackedHistory } from '../../core/history.ts';
import { CADENCE_DAYS, composeList, currentList, listEvidence } from '../../core/lists/compose.ts';
import type { NeighbourVector } from '../../core/lists/neighbours.ts';
import { readKeyRange, type PackRecord, type ProductRecord } from '../store.ts';
import { historyOf } from '../packs.ts';
import { recentLists } from '../lists.ts';
import { loadPreferences, preferencesOf, readPreferences, storeIssuedList, storeIssuedLists, type Preferences } from '../preferences.ts';
import { StorageFullError } from '../errors.ts';
import type { EngineContext } from './context.ts';

/** A member as the kiosk may show them: first name only. */
export interface MemberView {
  id: string;
  firstName?: string;
  personalise: boolean;
}

export type FindMemberError = 'wrong-length' | 'bad-check-digit' | 'unknown-card';
export type ListError = 'unknown-member' | 'no-data' | 'not-eligible' | 'refused';

/** What a card scan shows: the member, their list, the store's day, and whether the list is stored (only a stored
 * list is printed: its code must scan at the till). */
export interface ScanResult {
  member: MemberView;
  list: ShoppingList;
  today: Day;
  stored: boolean;
}

/** Members per read transaction in the batch `listsFor`. */
const BATCH_CHUNK = 200;

const memberView = (m: Member): MemberView => ({ id: m.id, ...(m.firstName ? { firstName: m.firstName } : {}), personalise: m.consent.personalise });

/** Find a member by a scanned or typed card code: the one place a card is checked (length, check digit, known). */
export async function memberByCard(ctx: EngineContext, code: string): Promise<Result<MemberView, FindMemberError>> {
  const digits = code.trim();
  if (!/^\d{13}$/.test(digits)) return err('wrong-length');
  if (!isValidEan13(digits)) return err('bad-check-digit');
  const pack = await (await ctx.db()).getFromIndex('packs', 'by-card', digits);
  if (!pack) return err('unknown-card');
  return ok(memberView(pack.member));
}

/** A new list for a member on `day` (pure core work around a serial, a signed code and the store's parts), under a
 * new id and code, or its own (`keep`: a list rebuilt after a shopper control). */
export async function makeList(ctx: EngineContext, member: Member, history: PackedHistory | undefined, catalogue: ProductRecord[], day: Day, keep?: { id: string; code: string }, prefs?: Preferences, neighbour?: NeighbourVector): Promise<Result<ShoppingList, 'refused'>> {
  const serial = keep ? 0 : await ctx.serials.take(day);
  const listId = keep?.id ?? `${member.id}-${day}-${serial}`;
  const d = await ctx.db();
  // The code's MAC is signed while the rest is read and computed.
  const signed = keep ? Promise.resolve(keep.code) : ctx.codes.issue(day, serial);
  const [model, context, { hidden, shown }] = await Promise.all([ctx.storeModel(), ctx.listContext(), prefs ?? loadPreferences(d, member.id, day)]);
  const store = { ...model, ...context };
  const who = { member, history, hidden, shown };
  const evidence = listEvidence({ ...who, ...(neighbour ? { neighbour } : {}) }, store, catalogue, day);
  return composeList(who, store, catalogue, day, { listId, code: await signed }, evidence);
}

/** A member's list on `day` from what was read about them: the current one while it is fresh, else a new one
 * (`current: false`, not yet stored). `listFor` and the batch `listsFor` both decide here. */
async function listFrom(
  ctx: EngineContext, read: { pack: PackRecord | undefined; lists: readonly ShoppingList[]; prefs: Preferences },
  catalogue: ProductRecord[], day: Day,
): Promise<Result<{ list: ShoppingList; current: boolean }, ListError>> {
  const current = currentList(read.lists, read.prefs.hidden, day);
  if (current) return ok({ list: current, current: true });
  if (!read.pack) return err('unknown-member');
  if (!catalogue.length) return err('no-data');
  const made = await makeList(ctx, read.pack.member, historyOf(read.pack), catalogue, day, undefined, read.prefs, read.pack.neighbour);
  return made.ok ? ok({ list: made.value, current: false }) : made;
}

/** The member's list still current on `day`, as they see it (hidden products left out), if any: nothing is made. */
export async function currentListOf(ctx: EngineContext, memberId: string, day: Day): Promise<ShoppingList | undefined> {
  const tx = (await ctx.db()).transaction(['lists', 'packs', 'shown'], 'readonly');
  const [lists, prefs] = await Promise.all([recentLists(tx.objectStore('lists'), memberId, day, CADENCE_DAYS), readPreferences(tx.objectStore('packs'), tx.objectStore('shown'), memberId, day)]);
  return currentList(lists, prefs.hidden, day);
}

/** The member's list as of `day` (default: today) and `stored`, which settles once the list is known to be in the
 * database (true) or known not to be (false: storage full). A new list is handed out before its write: the member
 * sees it at once, and everything the engine does next waits for the write (`ctx.db()`). */
export async function issueList(ctx: EngineContext, memberId: string, asOfDay?: Day): Promise<Result<{ list: ShoppingList; stored: Promise<boolean> }, ListError>> {
  const d = await ctx.db();
  const day = asOfDay ?? (await ctx.today());
  // One read transaction for the member's recent lists, their pack (record, history, controls: one record) and their
  // shown-items memory.
  const tx = d.transaction(['lists', 'packs', 'shown'], 'readonly');
  const [lists, pack, shown, catalogue] = await Promise.all([
    recentLists(tx.objectStore('lists'), memberId, day, CADENCE_DAYS), tx.objectStore('packs').get(memberId), tx.objectStore('shown').get(memberId), ctx.products(),
  ]);
  const made = await listFrom(ctx, { pack, lists, prefs: preferencesOf(pack, shown, day) }, catalogue, day);
  if (!made.ok) return made;
  const { list, current } = made.value;
  if (current) return ok({ list, stored: Promise.resolve(true) }); // read back from the database
  // The list and its discovery items in the shown-items memory, one transaction, written once the answer is on its
  // way. A failed write (storage full) is counted in `status()`; that list is made again at the next scan. A list
  // signed with a key that could not be stored (storage full on a new store) is shown, never stored.
  const write = ctx.codes.isTransient(list.code)
    ? Promise.reject(new StorageFullError('storage-full: the list key could not be stored'))
    : new Promise((go) => setTimeout(go, 0)).then(() => storeIssuedList(d, list));
  const stored = write.then(() => true, (e: unknown) => {
    ctx.unsaved.count++;
    ctx.unsaved.ids.push(list.id);
    if (ctx.unsaved.ids.length > 100) ctx.unsaved.ids.shift();
    console.warn(`list ${list.id} not stored: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  });
  ctx.afterWrite(stored.then(() => undefined));
  return ok({ list, stored });
}

/** Today's list of a member, its day, and whether it is stored: answered once its write committed or failed. */
async function listScreen(ctx: EngineContext, memberId: string): Promise<Result<Omit<ScanResult, 'member'>, ListError>> {
  const today = await ctx.today();
  const issued = await issueList(ctx, memberId, today);
  if (!issued.ok) return issued;
  return ok({ list: issued.value.list, today, stored: await issued.value.stored });
}

/** The lists room's methods. */
export function listsRoom(ctx: EngineContext) {
  return {
    /** Find a member by a scanned or typed card code. */
    async findMember(code: string): Promise<Result<MemberView, FindMemberError>> {
      return memberByCard(ctx, code);
    },

    /** A card scan, in one call: the member, their list, the store's day, and whether the list is stored (answered
     * once its write has committed or failed, so the kiosk prints only a list whose code scans). */
    async scanCard(code: string): Promise<Result<ScanResult, FindMemberError | ListError>> {
      const found = await memberByCard(ctx, code);
      if (!found.ok) return found;
      const shown = await listScreen(ctx, found.value.id);
      return shown.ok ? ok({ member: found.value, ...shown.value }) : shown;
    },

    /** The member's list screen again (after a change of consent or history), in one call: as {@link scanCard}
     * without the card. */
    async memberList(memberId: string): Promise<Result<Omit<ScanResult, 'member'>, ListError>> {
      return listScreen(ctx, memberId);
    },

    /** The member's shopping list as of a day (default: today): the current one when still fresh, else a new one. */
    async listFor(memberId: string, asOfDay?: Day): Promise<Result<ShoppingList, ListError>> {
      const issued = await issueList(ctx, memberId, asOfDay);
      return issued.ok ? ok(issued.value.list) : issued;
    },

    /** Settles when every list handed out so far is written; `unsaved`: the lists among the last 100 handed out whose
     * write failed (storage full). */
    async settled(): Promise<{ unsaved: string[] }> {
      await ctx.db();
      return { unsaved: [...ctx.unsaved.ids] };
    },

    /** Every member id, for batch work (the CLI's lists, overnight list generation). */
    async memberIds(): Promise<string[]> {
      return (await ctx.db()).getAllKeys('packs');
    },

    /** Lists for many members at once (the overnight batch, the CLI): as {@link listFor} for each, in chunks of
     * consecutive members. A chunk's packs are read as a key range, its recent lists
     * member by member, in one read transaction; the next chunk is read while this one is composed, and this one is
     * stored (one commit, lists in packs) while the next is composed, so the worker and the database work at the same
     * time. `personalised` counts the issued lists that are personal (the others are the store-wide list). `onList`
     * (a caller in the same thread, such as the CLI) receives every list handed out, issued or current, in member
     * order. */
    async listsFor(memberIds: readonly string[], asOfDay?: Day, onList?: (list: ShoppingList) => void): Promise<{ issued: number; personalised: number; current: number; failed: Partial<Record<ListError, number>> }> {
      const d = await ctx.db();
      const day = asOfDay ?? (await ctx.today());
      const catalogue = await ctx.products();
      const out = { issued: 0, personalised: 0, current: 0, failed: {} as Partial<Record<ListError, number>> };
      const fail = (e: ListError) => { out.failed[e] = (out.failed[e] ?? 0) + 1; };
      const ids = [...new Set(memberIds)].sort(); // key order: consecutive members are one key range
      const read = async (chunk: readonly string[]) => {
        const tx = d.transaction(['lists', 'packs', 'shown'], 'readonly');
        const [packs, shown, lists] = await Promise.all([
          readKeyRange(tx.objectStore('packs'), chunk), readKeyRange(tx.objectStore('shown'), chunk),
          Promise.all(chunk.map((id) => recentLists(tx.objectStore('lists'), id, day, CADENCE_DAYS))),
        ]);
        return chunk.map((id, i) => {
          const pack = packs.get(id);
          return { pack, prefs: preferencesOf(pack, shown.get(id), day), lists: lists[i]! };
        });
      };
      let next = ids.length ? read(ids.slice(0, BATCH_CHUNK)) : undefined;
      let storing: Promise<void> = Promise.resolve();
      for (let at = 0; next; at += BATCH_CHUNK) {
        const rows = await next;
        // Created before this chunk's write: the database reads the next chunk while the worker composes this one.
        next = at + BATCH_CHUNK < ids.length ? read(ids.slice(at + BATCH_CHUNK, at + 2 * BATCH_CHUNK)) : undefined;
        const made = await Promise.all(rows.map((row) => listFrom(ctx, row, catalogue, day)));
        // No list key could be stored: the batch stops as it does when a chunk's write finds storage full.
        if (made.some((r) => r.ok && !r.value.current && ctx.codes.isTransient(r.value.list.code))) throw new StorageFullError('storage-full: the list key could not be stored');
        const issued: { list: ShoppingList; shown: Preferences['shown'] }[] = [];
        made.forEach((r, i) => {
          if (!r.ok) return fail(r.error);
          if (r.value.current) out.current++;
          else {
            issued.push({ list: r.value.list, shown: rows[i]!.prefs.shown });
            if (r.value.list.personalised) out.personalised++;
          }
          onList?.(r.value.list);
        });
        await storing;
        storing = storeIssuedLists(d, issued); // one commit for the chunk
        out.issued += issued.length;
      }
      await storing;
      return out;
    },
  };
}
