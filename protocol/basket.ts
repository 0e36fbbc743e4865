// `POST /v1/baskets`: a till's basket back into the member database, idempotent by basket id; `POST /v1/consents`: a
// member's consent as a kiosk recorded it.
import * as v from 'valibot';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
const int = (min: number, max: number) => v.pipe(v.number(), v.safeInteger(), v.minValue(min), v.maxValue(max));

/** One line, as the engine queues it (core `BasketLine`). */
export const BasketLineSchema = v.object({
  productId: id,
  qty: int(1, 100_000),
  unitPriceCents: int(0, 100_000_000),
  discountCents: v.optional(int(0, 100_000_000), 0),
});

/** The body as kiosks send it today: `{id, memberId, day, lines}` (plus optional `minute`, `storeId`). */
export const BasketBodySchema = v.object({
  id,
  memberId: id,
  day: int(0, 200_000),
  minute: v.optional(int(0, 1439)),
  storeId: v.optional(id),
  lines: v.pipe(v.array(BasketLineSchema), v.minLength(1), v.maxLength(1000)),
});

/** A basket body after validation. */
export type BasketBody = v.InferOutput<typeof BasketBodySchema>;

/** `POST /v1/consents`: a member's consent to personalisation as a store's device recorded it; the change made last
 * (`at`, ms since the epoch on the device) wins at headquarters. */
export const ConsentBodySchema = v.object({
  memberId: id,
  personalise: v.boolean(),
  atDay: int(0, 200_000),
  at: int(0, Number.MAX_SAFE_INTEGER),
});

/** A consent body after validation. */
export type ConsentBody = v.InferOutput<typeof ConsentBodySchema>;
