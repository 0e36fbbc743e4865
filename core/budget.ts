// Budget ledger for offer funders (store or manufacturer) with reservations: issue reserves the worst-case cost,
// redeem commits the actual amount, expiry or revert releases it. Invariant: committed + reserved ≤ budget, always.
import { err, ok, type Result } from './result.ts';

/** Why a ledger operation was refused (nothing changes when it is). */
export type LedgerError = 'unknown-funder' | 'insufficient' | 'duplicate' | 'unknown-reservation' | 'not-reserved' | 'not-committed' | 'bad-amount';

/** One funder's position, in cents. */
export interface FunderPosition {
  budgetCents: number;
  reservedCents: number;
  committedCents: number;
}

/** A reservation's life: reserved at issue, committed at redeem, then possibly reverted; released ones are forgotten. */
interface Entry {
  funder: string;
  cents: number;
  state: 'reserved' | 'committed';
}

/** Plain-data form of a ledger, for storage. */
export interface LedgerSnapshot {
  funders: Record<string, FunderPosition>;
  entries: Record<string, Entry>;
}

const validAmount = (c: number) => Number.isSafeInteger(c) && c >= 0;

/** A budget ledger; every method either applies fully or refuses and leaves the ledger unchanged. */
export class BudgetLedger {
  private readonly funders = new Map<string, FunderPosition>();
  private readonly entries = new Map<string, Entry>();

  /** Restore a ledger from a snapshot. */
  static from(s: LedgerSnapshot): BudgetLedger {
    const l = new BudgetLedger();
    for (const [f, p] of Object.entries(s.funders)) l.funders.set(f, { ...p });
    for (const [id, e] of Object.entries(s.entries)) l.entries.set(id, { ...e });
    return l;
  }

  /** Plain-data copy of the ledger. */
  snapshot(): LedgerSnapshot {
    return {
      funders: Object.fromEntries([...this.funders].map(([f, p]) => [f, { ...p }])),
      entries: Object.fromEntries([...this.entries].map(([id, e]) => [id, { ...e }])),
    };
  }

  /** Set a funder's total budget; refused when it would fall below what is already reserved and committed. */
  setBudget(funder: string, cents: number): Result<FunderPosition, LedgerError> {
    if (!validAmount(cents)) return err('bad-amount');
    const p = this.funders.get(funder);
    if (!p) {
      const fresh = { budgetCents: cents, reservedCents: 0, committedCents: 0 };
      this.funders.set(funder, fresh);
      return ok({ ...fresh });
    }
    if (cents < p.reservedCents + p.committedCents) return err('insufficient', `${funder} has ${p.reservedCents + p.committedCents} in use`);
    p.budgetCents = cents;
    return ok({ ...p });
  }

  /** A funder's position, if known. */
  position(funder: string): FunderPosition | undefined {
    const p = this.funders.get(funder);
    return p && { ...p };
  }

  /** Cents still free to reserve. */
  available(funder: string): number {
    const p = this.funders.get(funder);
    return p ? p.budgetCents - p.reservedCents - p.committedCents : 0;
  }

  /** Issue: reserve the worst-case cost of an offer under a unique id. */
  reserve(id: string, funder: string, cents: number): Result<void, LedgerError> {
    if (!validAmount(cents)) return err('bad-amount');
    const p = this.funders.get(funder);
    if (!p) return err('unknown-funder', funder);
    if (this.entries.has(id)) return err('duplicate', id);
    if (cents > this.available(funder)) return err('insufficient', `${funder}: ${this.available(funder)} left, ${cents} asked`);
    p.reservedCents += cents;
    this.entries.set(id, { funder, cents, state: 'reserved' });
    return ok(undefined);
  }

  /** Redeem: commit the actual amount of a reservation, releasing the rest; may draw on free budget when above it. */
  commit(id: string, actualCents: number): Result<void, LedgerError> {
    if (!validAmount(actualCents)) return err('bad-amount');
    const e = this.entries.get(id);
    if (!e) return err('unknown-reservation', id);
    if (e.state !== 'reserved') return err('not-reserved', id);
    const p = this.funders.get(e.funder)!;
    if (actualCents > e.cents && actualCents - e.cents > this.available(e.funder)) return err('insufficient');
    p.reservedCents -= e.cents;
    p.committedCents += actualCents;
    e.cents = actualCents;
    e.state = 'committed';
    return ok(undefined);
  }

  /** Expiry: release a reservation that was never redeemed. */
  release(id: string): Result<void, LedgerError> {
    const e = this.entries.get(id);
    if (!e) return err('unknown-reservation', id);
    if (e.state !== 'reserved') return err('not-reserved', id);
    this.funders.get(e.funder)!.reservedCents -= e.cents;
    this.entries.delete(id);
    return ok(undefined);
  }

  /** Sync: record a redemption made elsewhere (another kiosk); replaying the same id and amount is a no-op,
   * the same id with another amount is refused, and it never commits beyond the free budget (the caller flags a conflict). */
  syncCommit(id: string, funder: string, cents: number): Result<void, LedgerError> {
    if (!validAmount(cents)) return err('bad-amount');
    const p = this.funders.get(funder);
    if (!p) return err('unknown-funder', funder);
    const e = this.entries.get(id);
    if (e) {
      if (e.state === 'committed' && e.funder === funder && e.cents === cents) return ok(undefined);
      if (e.state === 'reserved' && e.funder === funder) return this.commit(id, cents);
      return err('duplicate', id);
    }
    if (cents > this.available(funder)) return err('insufficient', `${funder}: ${this.available(funder)} left, ${cents} synced`);
    p.committedCents += cents;
    this.entries.set(id, { funder, cents, state: 'committed' });
    return ok(undefined);
  }

  /** Revert a redemption (voided at the till): its amount goes back to the budget. */
  revert(id: string): Result<void, LedgerError> {
    const e = this.entries.get(id);
    if (!e) return err('unknown-reservation', id);
    if (e.state !== 'committed') return err('not-committed', id);
    this.funders.get(e.funder)!.committedCents -= e.cents;
    this.entries.delete(id);
    return ok(undefined);
  }
}
