// What headquarters does with what kiosks send: one record per idempotency key (the same key with the same body is
// answered again, with another body refused with 409, as Stripe's idempotency keys), and one redemption per list
// offer across every kiosk (a second till redeeming an offer another till already sent is a conflict, 409, flagged
// for a person). Used by the demo's headquarters (vite.config.ts) and the tests' fake headquarters (MSW).

/** An HTTP answer, status and JSON body. */
export interface HqAnswer {
  status: number;
  body: { ok: true; replay: boolean } | { error: string; reason: 'missing-key' | 'key-reused' | 'offer-redeemed-elsewhere' | 'bad-body' };
}

/** The ledger of one headquarters. */
export interface HqLedger {
  /** Receive one POST to `/<kind>` with its idempotency key and raw body. */
  receive(kind: string, key: string | null, body: string): HqAnswer;
  /** Bodies by idempotency key. */
  readonly records: Map<string, string>;
}

/** A new, empty ledger. */
export function createHqLedger(): HqLedger {
  const records = new Map<string, string>();
  /** `listId|offerId` → the idempotency key that redeemed it first. */
  const offers = new Map<string, string>();
  return {
    records,
    receive(kind, key, body) {
      if (!key) return { status: 400, body: { error: 'missing idempotency-key', reason: 'missing-key' } };
      const known = records.get(key);
      if (known !== undefined) {
        return known === body
          ? { status: 200, body: { ok: true, replay: true } }
          : { status: 409, body: { error: 'idempotency key reused with other contents', reason: 'key-reused' } };
      }
      if (kind === 'redemptions') {
        let offer: string;
        try {
          const r = JSON.parse(body) as { listId?: unknown; offerId?: unknown };
          if (typeof r.listId !== 'string' || typeof r.offerId !== 'string') throw new Error('listId and offerId expected');
          offer = `${r.listId}|${r.offerId}`;
        } catch (e) {
          return { status: 422, body: { error: `not a redemption: ${e instanceof Error ? e.message : String(e)}`, reason: 'bad-body' } };
        }
        const first = offers.get(offer);
        if (first !== undefined && first !== key) return { status: 409, body: { error: 'offer already redeemed at another till', reason: 'offer-redeemed-elsewhere' } };
        offers.set(offer, key);
      }
      records.set(key, body);
      return { status: 200, body: { ok: true, replay: false } };
    },
  };
}
