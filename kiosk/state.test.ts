// The kiosk's transitions (kiosk/state.ts).
import { describe, expect, it } from 'vitest';
import { createKioskState, kioskReducer } from './state.ts';

describe('kioskReducer', () => {
  it('shows the lines stored while starting, then the scan screen', () => {
    const loading = kioskReducer(createKioskState(), { type: 'progress', lines: 3 });
    expect(loading.screen).toEqual({ name: 'starting', lines: 3 });
    expect(kioskReducer(loading, { type: 'progress', lines: 45, syncing: true, retrying: true }).screen).toEqual({ name: 'starting', lines: 45, syncing: true, retrying: true });
    expect(kioskReducer(loading, { type: 'ready' }).screen).toEqual({ name: 'scan' });
  });

  it('never goes back to "Loading store data…" for a progress report that arrives after the start', () => {
    const ready = kioskReducer(kioskReducer(createKioskState(), { type: 'progress', lines: 3 }), { type: 'ready' });
    expect(kioskReducer(ready, { type: 'progress', lines: 3 })).toBe(ready);
    const cashier = kioskReducer(ready, { type: 'cashier' });
    expect(kioskReducer(cashier, { type: 'progress', lines: 45, syncing: true })).toBe(cashier);
  });
});
