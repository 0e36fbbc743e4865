// What a signed-in member's device sends headquarters about their own controls and shown-items memory
// (`POST /v1/members/me/prefs`): a batch of changes, each one idempotent, so a device that lost the answer sends the
// same batch again and headquarters ends in the same state.
import * as v from 'valibot';
import { id, int } from './packed-arrays.ts';

const day = int(-200_000, 200_000);

/** One change: a control on one product as of `day`, set at `at` (ms since 1970 on the device: the latest per product
 * wins, so a change sent late from an offline device does not undo a newer one), or products shown on `day`. */
export const PrefChangeSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('control'), productId: id, control: v.picklist(['not-for-me', 'mute', 'clear']), day, at: int(0, Number.MAX_SAFE_INTEGER) }),
  v.strictObject({ kind: v.literal('shown'), productIds: v.pipe(v.array(id), v.minLength(1), v.maxLength(200)), day }),
]);

/** One change as it travels. */
export type PrefChange = v.InferOutput<typeof PrefChangeSchema>;

/** The body of `POST /v1/members/me/prefs`. */
export const PrefChangesWireSchema = v.strictObject({ changes: v.pipe(v.array(PrefChangeSchema), v.minLength(1), v.maxLength(500)) });

/** The body of `POST /v1/controls`: a store's kiosk sends the controls a member set there. */
export const DeviceControlsWireSchema = v.strictObject({ memberId: id, changes: v.pipe(v.array(PrefChangeSchema), v.minLength(1), v.maxLength(500)) });

/** The answer: the member's pack's ETag after the changes, and how many controls and shown entries headquarters holds. */
export interface PrefsAnswer { ok: true; etag: string; controls: number; shown: number }
