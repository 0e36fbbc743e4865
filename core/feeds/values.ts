// Reading one feed value (a CSV string or a JSON value) as text, number, boolean, day or list, without allocating on the happy path.
import { parseDay } from '../dates.ts';
import type { Day } from '../types.ts';
import type { RowErrorCode, RowErrorParams } from './row-errors.ts';

/** Records the first problem of a row; always returns undefined so a reader can `return fail(…)`. */
export type Fail = (field: string, code: RowErrorCode, expected: string, value?: unknown, params?: RowErrorParams) => undefined;

/** True when a value counts as not given: absent, null, or empty text. */
export function isBlank(x: unknown): boolean {
  if (x === undefined || x === null || x === '') return true;
  // Most values start with a visible character: skip the trim.
  return typeof x === 'string' && x.charCodeAt(0) <= 32 && x.trim() === '';
}

/** The value as trimmed text (numbers become their decimal text), or undefined when blank or not a scalar. */
export function asText(x: unknown): string | undefined {
  if (typeof x === 'string') {
    const t = x.length > 0 && (x.charCodeAt(0) <= 32 || x.charCodeAt(x.length - 1) <= 32) ? x.trim() : x;
    return t === '' ? undefined : t;
  }
  if (typeof x === 'number' && Number.isFinite(x)) return String(x);
  return undefined;
}

/** Digits-only text as a number (optional leading minus), NaN otherwise; a hand loop because it runs per basket line. */
export function wholeNumber(s: string): number {
  const n = s.length;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  if (i === n || n - i > 15) return NaN;
  let v = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return s.charCodeAt(0) === 45 ? -v : v;
}

/** A whole number from text or a JSON number, NaN when it is something else. */
export function asWhole(x: unknown): number {
  if (typeof x === 'number') return Number.isInteger(x) ? x : NaN;
  const t = asText(x);
  return t === undefined ? NaN : wholeNumber(t);
}

/** A decimal number from text or a JSON number, NaN when it is something else. */
export function asDecimal(x: unknown): number {
  if (typeof x === 'number') return Number.isFinite(x) ? x : NaN;
  const t = asText(x);
  return t !== undefined && /^-?(\d+\.?\d*|\.\d+)$/.test(t) ? Number(t) : NaN;
}

/** true / false from a JSON boolean or the words `true` / `false` (any case), undefined otherwise. */
export function asBool(x: unknown): boolean | undefined {
  if (typeof x === 'boolean') return x;
  const t = asText(x)?.toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : undefined;
}

/** A list from a JSON array of scalars or `a;b;c` text; empty entries dropped; undefined when not a list. */
export function asList(x: unknown): string[] | undefined {
  if (Array.isArray(x)) {
    const out: string[] = [];
    for (const e of x) {
      const t = asText(e);
      if (t === undefined) return undefined;
      out.push(t);
    }
    return out;
  }
  const t = asText(x);
  if (t === undefined) return [];
  const out: string[] = [];
  for (const part of t.split(';')) {
    const p = part.trim();
    if (p) out.push(p);
  }
  return out;
}

const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A day number from `yyyy-mm-dd` only (no time), undefined when not a real calendar date. */
export function asPlainDay(t: string): Day | undefined {
  return PLAIN_DATE.test(t) ? parseDay(t) : undefined;
}

/** The value cut for an error report. */
export function shown(x: unknown): string | undefined {
  if (x === undefined) return undefined;
  const s = typeof x === 'string' ? x : JSON.stringify(x) ?? String(x);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}
