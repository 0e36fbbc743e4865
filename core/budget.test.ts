import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BudgetLedger } from './budget.ts';

describe('budget ledger', () => {
  it('reserves at issue, commits at redeem and releases at expiry', () => {
    const l = new BudgetLedger();
    l.setBudget('acme', 1000);
    expect(l.reserve('o1', 'acme', 600).ok).toBe(true);
    expect(l.reserve('o2', 'acme', 600)).toMatchObject({ ok: false, error: 'insufficient' });
    expect(l.commit('o1', 400).ok).toBe(true);
    expect(l.position('acme')).toEqual({ budgetCents: 1000, reservedCents: 0, committedCents: 400 });
    expect(l.reserve('o2', 'acme', 600).ok).toBe(true);
    expect(l.release('o2').ok).toBe(true);
    expect(l.revert('o1').ok).toBe(true);
    expect(l.available('acme')).toBe(1000);
    expect(l.commit('o1', 1)).toMatchObject({ ok: false, error: 'unknown-reservation' });
  });

  it('treats a replayed sync as a no-op and refuses the same id with another amount', () => {
    const l = new BudgetLedger();
    l.setBudget('store', 500);
    expect(l.syncCommit('r1', 'store', 300).ok).toBe(true);
    expect(l.syncCommit('r1', 'store', 300).ok).toBe(true);
    expect(l.syncCommit('r1', 'store', 200)).toMatchObject({ ok: false, error: 'duplicate' });
    expect(l.position('store')!.committedCents).toBe(300);
    expect(BudgetLedger.from(l.snapshot()).snapshot()).toEqual(l.snapshot());
  });

  it('is never overspent in any order of issue, redeem, expiry, revert and sync (model-based)', () => {
    const funders = ['store', 'acme'];
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    type Model = { budget: Record<string, number>; entries: Map<string, { funder: string; cents: number; state: 'reserved' | 'committed' }> };
    const used = (m: Model, f: string) => [...m.entries.values()].filter((e) => e.funder === f).reduce((s, e) => s + e.cents, 0);
    const check = (m: Model, l: BudgetLedger) => {
      for (const f of funders) {
        const p = l.position(f)!;
        expect(p.reservedCents + p.committedCents).toBeLessThanOrEqual(p.budgetCents);
        expect(p.reservedCents).toBeGreaterThanOrEqual(0);
        expect(p.committedCents).toBeGreaterThanOrEqual(0);
        expect(p.reservedCents + p.committedCents).toBe(used(m, f));
        const committed = [...m.entries.values()].filter((e) => e.funder === f && e.state === 'committed').reduce((s, e) => s + e.cents, 0);
        expect(p.committedCents).toBe(committed);
      }
    };
    class Reserve implements fc.Command<Model, BudgetLedger> {
      constructor(readonly id: string, readonly f: string, readonly c: number) {}
      check = () => true;
      run(m: Model, l: BudgetLedger) {
        const fits = !m.entries.has(this.id) && used(m, this.f) + this.c <= m.budget[this.f]!;
        expect(l.reserve(this.id, this.f, this.c).ok).toBe(fits);
        if (fits) m.entries.set(this.id, { funder: this.f, cents: this.c, state: 'reserved' });
        check(m, l);
      }
      toString = () => `reserve(${this.id},${this.f},${this.c})`;
    }
    class Commit implements fc.Command<Model, BudgetLedger> {
      constructor(readonly id: string, readonly c: number) {}
      check = () => true;
      run(m: Model, l: BudgetLedger) {
        const e = m.entries.get(this.id);
        const fits = !!e && e.state === 'reserved' && (this.c <= e.cents || used(m, e.funder) - e.cents + this.c <= m.budget[e.funder]!);
        expect(l.commit(this.id, this.c).ok).toBe(fits);
        if (fits) m.entries.set(this.id, { ...e!, cents: this.c, state: 'committed' });
        check(m, l);
      }
      toString = () => `commit(${this.id},${this.c})`;
    }
    class Release implements fc.Command<Model, BudgetLedger> {
      constructor(readonly id: string, readonly revert: boolean) {}
      check = () => true;
      run(m: Model, l: BudgetLedger) {
        const e = m.entries.get(this.id);
        const fits = !!e && e.state === (this.revert ? 'committed' : 'reserved');
        expect((this.revert ? l.revert(this.id) : l.release(this.id)).ok).toBe(fits);
        if (fits) m.entries.delete(this.id);
        check(m, l);
      }
      toString = () => `${this.revert ? 'revert' : 'release'}(${this.id})`;
    }
    class Sync implements fc.Command<Model, BudgetLedger> {
      constructor(readonly id: string, readonly f: string, readonly c: number) {}
      check = () => true;
      run(m: Model, l: BudgetLedger) {
        const r = l.syncCommit(this.id, this.f, this.c);
        const e = m.entries.get(this.id);
        if (!e) {
          const fits = used(m, this.f) + this.c <= m.budget[this.f]!;
          expect(r.ok).toBe(fits);
          if (fits) m.entries.set(this.id, { funder: this.f, cents: this.c, state: 'committed' });
        } else if (e.state === 'committed' && e.funder === this.f && e.cents === this.c) {
          expect(r.ok).toBe(true);
        } else if (!r.ok) {
          // refused: nothing changed
        } else {
          m.entries.set(this.id, { funder: this.f, cents: this.c, state: 'committed' });
        }
        check(m, l);
      }
      toString = () => `sync(${this.id},${this.f},${this.c})`;
    }
    class SetBudget implements fc.Command<Model, BudgetLedger> {
      constructor(readonly f: string, readonly c: number) {}
      check = () => true;
      run(m: Model, l: BudgetLedger) {
        const fits = this.c >= used(m, this.f);
        expect(l.setBudget(this.f, this.c).ok).toBe(fits);
        if (fits) m.budget[this.f] = this.c;
        check(m, l);
      }
      toString = () => `setBudget(${this.f},${this.c})`;
    }
    const id = fc.constantFrom(...ids);
    const f = fc.constantFrom(...funders);
    const cents = fc.integer({ min: 0, max: 700 });
    const commands = [
      fc.tuple(id, f, cents).map(([i, ff, c]) => new Reserve(i, ff, c)),
      fc.tuple(id, cents).map(([i, c]) => new Commit(i, c)),
      fc.tuple(id, fc.boolean()).map(([i, r]) => new Release(i, r)),
      fc.tuple(id, f, cents).map(([i, ff, c]) => new Sync(i, ff, c)),
      fc.tuple(f, fc.integer({ min: 0, max: 2000 })).map(([ff, c]) => new SetBudget(ff, c)),
    ];
    fc.assert(fc.property(fc.commands(commands, { maxCommands: 40 }), (cmds) => {
      const l = new BudgetLedger();
      const m: Model = { budget: { store: 1000, acme: 500 }, entries: new Map() };
      l.setBudget('store', 1000);
      l.setBudget('acme', 500);
      fc.modelRun(() => ({ model: m, real: l }), cmds);
    }), { numRuns: 2000 });
  });
});
