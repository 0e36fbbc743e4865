// From scored candidates to list items: names, prices with today's offers, and a one-sentence reason for each.
import type { Day, Deal, ListItem, Product, ScoredItem } from './types.ts';
import { formatDay, weekday } from './dates.ts';
import { bestOffer, offerPrice } from './offers.ts';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** "today", "tomorrow", "Thursday" (within a week) or the date. */
export function whenText(day: Day, asOfDay: Day): string {
  if (day <= asOfDay) return 'now';
  if (day === asOfDay + 1) return 'tomorrow';
  if (day - asOfDay < 7) return WEEKDAYS[weekday(day)]!;
  return formatDay(day);
}

const noun = (p: Product) => p.category.split('/').pop()!.replace(/-/g, ' ');

/** List items for scored candidates; `kind` overrides the scorer's kind (cold start). */
export function listItems(
  scored: readonly ScoredItem[], products: readonly Product[], deals: readonly Deal[], asOfDay: Day,
  options: { listId: string; segments?: ReadonlySet<string>; coldStart?: boolean },
): ListItem[] {
  return scored.map((s) => {
    const p = products[s.item]!;
    const offer = bestOffer(p, deals, asOfDay, options.segments ?? new Set(), options.listId);
    const kind: ListItem['kind'] = options.coldStart ? 'cold-start' : s.kind;
    let reason: ListItem['reason'];
    if (kind === 'cold-start') {
      reason = { code: 'popular', params: {}, text: 'Popular with members here; your list learns from your next shops.' };
    } else if (kind === 'explore') {
      reason = { code: 'similar-members', params: {}, text: `Members who shop like you often buy ${noun(p)}.` };
    } else if (s.dueDay !== undefined && s.intervalDays !== undefined && s.count >= 2) {
      const every = Math.round(s.intervalDays);
      const when = whenText(s.dueDay, asOfDay);
      reason = {
        code: 'due', params: { every, due: formatDay(s.dueDay) },
        text: `You buy ${noun(p)} about every ${every} days; ${when === 'now' ? 'it is due now' : `it is due ${when}`}.`,
      };
    } else {
      reason = { code: 'bought-before', params: {}, text: `You bought this on ${formatDay(s.lastDay ?? asOfDay)}.` };
    }
    return {
      productId: p.id, name: p.name, category: p.category, kind, confidence: s.confidence, score: s.score,
      ...(s.dueDay === undefined || kind !== 'repeat' ? {} : { dueDay: s.dueDay }),
      shelfPriceCents: p.priceCents, priceCents: offerPrice(p.priceCents, offer), ...(offer ? { offer } : {}), reason,
    };
  });
}
