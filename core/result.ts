/** A value or an error code the caller must decide on (exceptions are for bugs). */
export type Result<T, E extends string> = { ok: true; value: T } | { ok: false; error: E; detail?: string };

/** Wrap a value. */
export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

/** Wrap an error code, with an optional detail for logs. */
export const err = <E extends string>(error: E, detail?: string): { ok: false; error: E; detail?: string } =>
  detail === undefined ? { ok: false, error } : { ok: false, error, detail };
