import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { campaignOffer, campaignUplift, inHoldout, validateCampaign } from './campaigns.ts';
import type { Campaign, Product } from '../types.ts';

const p = (id: string, brandType: 'national' | 'store', priceCents: number, category = 'health/analgesics'): Product =>
  ({ id, name: id, category, brand: brandType === 'store' ? 'Own' : 'Acme', brandType, priceCents, tags: [] });
const catalogue = [p('acme-ibu', 'national', 699), p('own-ibu', 'store', 299), p('own-ibu-big', 'store', 499), p('own-plaster', 'store', 199, 'health/first-aid')];
const campaign: Campaign = {
  id: 'c1', name: 'Own-brand analgesics', category: 'health/analgesics', goal: 'to-store-brand', segments: ['national-high', 'national-mid'],
  offerByTier: { low: 10, mid: 20, high: 40 }, funder: 'store', startDay: 100, endDay: 200, holdoutShare: 0,
};
const base = { memberId: 'm1', asOfDay: 120, listUntilDay: 134, usual: catalogue[0]! };

describe('campaigns', () => {
  it('gives heavy national-brand buyers a deeper first offer on the cheapest store brand, timed around the due day', () => {
    const r = campaignOffer(campaign, catalogue, { ...base, segment: 'national-high', dueDay: 126 });
    expect(r).toMatchObject({ ok: true, value: { percent: 40, fromDay: 124, untilDay: 131 } });
    if (r.ok) {
      expect(r.value.product.id).toBe('own-ibu');
      expect(r.value.usual?.id).toBe('acme-ibu');
    }
    expect(campaignOffer(campaign, catalogue, { ...base, segment: 'national-mid', dueDay: 126 })).toMatchObject({ ok: true, value: { percent: 20 } });
  });

  it('skips members outside the segments, not due this cycle, or outside the dates', () => {
    expect(campaignOffer(campaign, catalogue, { ...base, segment: 'store-high' })).toMatchObject({ ok: false, error: 'not-targeted' });
    expect(campaignOffer(campaign, catalogue, { ...base, segment: 'national-high', dueDay: 160 })).toMatchObject({ ok: false, error: 'not-due' });
    expect(campaignOffer(campaign, catalogue, { ...base, asOfDay: 201, listUntilDay: 215, segment: 'national-high' })).toMatchObject({ ok: false, error: 'inactive' });
  });

  it('holds out a stable share of members as a control group', () => {
    const ids = Array.from({ length: 20000 }, (_, i) => `member-${i}`);
    const held = ids.filter((id) => inHoldout(id, 'c1', 0.1)).length;
    expect(held / ids.length).toBeGreaterThan(0.09);
    expect(held / ids.length).toBeLessThan(0.11);
    fc.assert(fc.property(fc.string(), fc.string(), fc.double({ min: 0, max: 1, noNaN: true }), (m, c, s) => inHoldout(m, c, s) === inHoldout(m, c, s) && (s > 0 || !inHoldout(m, c, s))));
    const held1 = ids.filter((id) => inHoldout(id, 'c1', 0.1));
    const held2 = ids.filter((id) => inHoldout(id, 'c2', 0.1));
    expect(held1.filter((id) => held2.includes(id)).length).toBeLessThan(held1.length / 3);
    // Sequential card-style ids (M000001, …) differ only in their last characters: the share must still hold.
    for (const id of ['C-ANALGESIC-SWITCH', 'C-COFFEE-GROW', 'C-TEST', 'c1']) {
      const seq = Array.from({ length: 6000 }, (_, i) => `M${String(i + 1).padStart(6, '0')}`);
      const share = seq.filter((m) => inHoldout(m, id, 0.1)).length / seq.length;
      expect(share, id).toBeGreaterThan(0.088);
      expect(share, id).toBeLessThan(0.112);
    }
    const heldMember = ids.find((id) => inHoldout(id, 'c1', 0.5))!;
    expect(campaignOffer({ ...campaign, holdoutShare: 0.5 }, catalogue, { ...base, memberId: heldMember, segment: 'national-high' })).toMatchObject({ ok: false, error: 'holdout' });
  });

  it('refuses a discount only for members about to leave, and a newcomer promotion that excludes existing members', () => {
    expect(validateCampaign(campaign).ok).toBe(true);
    const leaving = validateCampaign({ ...campaign, audience: { churnRiskAtLeast: 0.7 } });
    expect(leaving).toMatchObject({ ok: false, error: 'rewards-leaving' });
    expect(leaving.ok || leaving.detail).toMatch(/less loyal/);
    expect(validateCampaign({ ...campaign, audience: { openToNewMembers: true, excludeExistingMembers: true } })).toMatchObject({ ok: false, error: 'excludes-existing-members' });
    expect(validateCampaign({ ...campaign, holdoutShare: 1 })).toMatchObject({ ok: false, error: 'bad-campaign' });
  });

  it('measures uplift against the control group', () => {
    expect(campaignUplift({ treated: 100, treatedBuyers: 30, control: 50, controlBuyers: 10 }).uplift).toBeCloseTo(0.1);
  });
});
