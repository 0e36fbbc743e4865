// Enrolment of a store device, its list-code key ring and its manager PIN, as headquarters sends them.
import * as v from 'valibot';

/** `POST /v1/devices/enroll`. */
export const EnrollBodySchema = v.object({
  code: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  label: v.optional(v.pipe(v.string(), v.maxLength(100))),
});

/** What enrolment answers: the token for every later request (`Authorization: Bearer …`), scoped to one store. */
export interface EnrollAnswer {
  deviceToken: string;
  deviceId: string;
  storeId: string;
}

/** `GET /v1/stores/{store}/keys`: key id → base64 HMAC-SHA-256 secret; `current` signs new lists, the others
 * still verify lists printed before a rotation. */
export interface KeyRingWire {
  storeId: string;
  current: number;
  keys: Record<string, string>;
}

/** The ring in the shape `worker/codes.ts` keeps (`ListKeys`). */
export function keyRingFromWire(wire: KeyRingWire): { current: number; keys: Record<number, Uint8Array> } {
  const keys: Record<number, Uint8Array> = {};
  for (const [id, b64] of Object.entries(wire.keys)) keys[Number(id)] = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return { current: wire.current, keys };
}

/** `GET /v1/stores/{store}/pin`: the manager PIN as a salted PBKDF2-SHA-256 hash (base64), for offline checks. */
export interface PinWire {
  storeId: string;
  algorithm: 'PBKDF2-SHA-256';
  iterations: number;
  salt: string;
  hash: string;
}
