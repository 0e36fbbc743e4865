import { describe, expect, it } from 'vitest';
import { mergePrefChanges, packControls, type PrefChangeInput } from './pref-merge.ts';

const c = (productId: string, control: 'not-for-me' | 'mute' | 'clear', at: number, day = 100): PrefChangeInput => ({ kind: 'control', productId, control, day, at });

describe('mergePrefChanges', () => {
  it('keeps the latest control per product whatever order the changes come in, and twice is once', () => {
    const changes = [c('A', 'not-for-me', 1), c('A', 'clear', 3), c('B', 'mute', 2), c('A', 'mute', 2), c('B', 'mute', 2)];
    const forward = mergePrefChanges({ controls: [], shown: {} }, changes);
    const backward = mergePrefChanges({ controls: [], shown: {} }, [...changes].reverse());
    expect(backward).toEqual(forward);
    expect(mergePrefChanges(forward, changes)).toEqual(forward);
    expect(forward.controls.map((x) => [x.productId, x.kind])).toEqual([['A', 'clear'], ['B', 'mute']]);
    expect(packControls(forward.controls, 100)).toEqual([{ productId: 'B', kind: 'mute', untilDay: 130 }]);
    expect(packControls(forward.controls, 130)).toEqual([]);
  });

  it('records shown products once a day', () => {
    const once = mergePrefChanges({ controls: [], shown: {} }, [{ kind: 'shown', productIds: ['X'], day: 5 }, { kind: 'shown', productIds: ['X'], day: 5 }]);
    expect(once.shown).toEqual({ X: { lastShownDay: 5, times: 1 } });
    expect(mergePrefChanges(once, [{ kind: 'shown', productIds: ['X'], day: 9 }]).shown).toEqual({ X: { lastShownDay: 9, times: 2 } });
  });
});
