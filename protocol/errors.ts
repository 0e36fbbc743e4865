// The error body every headquarters answer that is not a success carries: a sentence for a person, a code for code.

/** Why headquarters refused a request (the `reason` of {@link ErrorBody}). */
export type ErrorReason =
  | 'missing-credential' | 'bad-credential' | 'expired-credential' | 'revoked-device' | 'forbidden'
  | 'missing-key' | 'key-reused' | 'offer-redeemed-elsewhere' | 'budget-exhausted' | 'unknown-list' | 'forged-code'
  | 'bad-body' | 'bad-json' | 'too-large' | 'not-found' | 'bad-code' | 'ring-full' | 'not-demo' | 'db-unavailable' | 'internal';

/** `{"error": sentence, "reason": code}`, with the field at fault for a body that does not validate. */
export interface ErrorBody {
  error: string;
  reason: ErrorReason;
  /** Dot path of the field at fault (`lines.0.qty`), for 400/422. */
  field?: string;
}

/** Whether a device should keep a record queued after this answer (5xx, 408, 429, 401 while re-enrolling) or flag it
 * for a person (409, 422): the rule `worker/sync.ts` applies. */
export const isFinalRefusal = (status: number): boolean => status === 409 || status === 422;
