// Happy-path network handlers shared by Node and browser tests: a small test store's feed files.
import { http, HttpResponse } from 'msw';
import { aProduct, aRhythm, storeFiles } from './store-builders.ts';
import { toEan13 } from '../../core/ean.ts';

/** Cards of the test store (valid EAN-13). */
export const CARDS = { olivia: '2000000000015', noConsent: '2000000000022', erase: toEan13('200000000003') };

/** The small store every browser test can load from `/test-store/`. */
export const TEST_STORE = storeFiles({
  endDate: '2026-03-01',
  products: [aProduct('T-MILK', 'Meadowvale Whole Milk', 209), aProduct('T-COFFEE', 'Café Roma Ground Coffee', 649, 'pantry/coffee'), aProduct('T-BREAD', 'Baker Street Sourdough', 299, 'bakery/bread')],
  members: [{ id: 'T-OLIVIA', card: CARDS.olivia, firstName: 'Olivia' }, { id: 'T-NOCONSENT', card: CARDS.noConsent, consent: false, firstName: 'Sam' }, { id: 'T-ERASE', card: CARDS.erase, firstName: 'Ines' }],
  baskets: [
    // Milk weekly, last bought 2026-02-22 → due 2026-03-01; coffee every 12 days; bread bought yesterday.
    ...aRhythm('T-OLIVIA', ['T-MILK'], 7, '2025-12-28', 9, 'T-O-milk-'),
    ...aRhythm('T-OLIVIA', ['T-COFFEE'], 12, '2025-12-20', 6, 'T-O-coffee-'),
    ...aRhythm('T-OLIVIA', ['T-BREAD'], 20, '2026-01-10', 3, 'T-O-bread-'),
    ...aRhythm('T-NOCONSENT', ['T-MILK'], 7, '2026-01-04', 8),
    ...aRhythm('T-ERASE', ['T-MILK', 'T-COFFEE'], 7, '2025-12-28', 9),
  ],
});

/** MSW handlers serving a store's feed files under `/<path>/`. */
export const serveStore = (path: string, files: Record<string, string>) =>
  Object.entries(files).map(([name, body]) =>
    http.get(`*/${path}/${name}`, () => new HttpResponse(body, { headers: { 'content-type': name.endsWith('.json') ? 'application/json' : 'text/csv' } })),
  );

export const handlers = serveStore('test-store', TEST_STORE);
