// `POST /v1/redemptions`: one list offer redeemed against one basket at one till, sent with `Idempotency-Key`.
import * as v from 'valibot';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
const cents = v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(100_000_000));

/** The body as kiosks send it today (core `Redemption`), with the optional fields DESIGN.md names. `dealId` may be
 * left out when the offer id carries it (`<listId>:<dealId>:<productId>`); `listCode` lets headquarters accept a list
 * issued offline that it has not seen, when the code verifies against the store's key ring. */
export const RedemptionBodySchema = v.object({
  id: v.optional(id),
  key: v.optional(v.pipe(v.string(), v.maxLength(700))),
  listId: id,
  offerId: id,
  dealId: v.optional(id),
  memberId: id,
  basketId: id,
  units: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(10_000))),
  amountCents: cents,
  day: v.optional(v.pipe(v.number(), v.safeInteger())),
  synced: v.optional(v.picklist([0, 1])),
  storeId: v.optional(id),
  tillId: v.optional(id),
  listCode: v.optional(v.pipe(v.string(), v.regex(/^\d{20}$/, 'a list code has 20 digits'))),
  at: v.optional(v.pipe(v.string(), v.isoTimestamp())),
});

/** A redemption body after validation. */
export type RedemptionBody = v.InferOutput<typeof RedemptionBodySchema>;

/** Rename DESIGN.md's field names (`redemptionId`, `cents`) to today's (`id`, `amountCents`) before validation. */
export function normaliseRedemption(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const r = { ...(raw as Record<string, unknown>) };
  if (r.id === undefined && r.redemptionId !== undefined) r.id = r.redemptionId;
  if (r.amountCents === undefined && r.cents !== undefined) r.amountCents = r.cents;
  delete r.redemptionId;
  delete r.cents;
  return r;
}

/** The deal of an offer: `dealId`, or the middle part of an offer id `<listId>:<dealId>:<productId>`. */
export function dealOf(body: Pick<RedemptionBody, 'dealId' | 'offerId'>): string | undefined {
  if (body.dealId) return body.dealId;
  const parts = body.offerId.split(':');
  return parts.length >= 3 ? parts[parts.length - 2] : undefined;
}

/** 200: stored now (`replay: false`) or already stored with this key and body (`replay: true`). */
export interface RedemptionAccepted {
  ok: true;
  replay: boolean;
}
