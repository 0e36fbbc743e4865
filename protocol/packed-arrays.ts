// Typed arrays as they travel in the store model and the member pack: base64 of little-endian bytes in the narrowest
// element type that holds them, and the schema pieces both bodies share.
import * as v from 'valibot';
import { narrowInts } from '../core/history-codec.ts';
import type { Result } from '../core/result.ts';

/** Element types a packed array may have. */
export type ArrayType = 'u8' | 'u16' | 'i16' | 'i32' | 'f32' | 'f64';
export type AnyArray = Uint8Array | Uint16Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A typed array on the wire: its element type and its bytes (little-endian) in base64. */
export interface PackedArray { t: ArrayType; b: string }

const CTORS = { u8: Uint8Array, u16: Uint16Array, i16: Int16Array, i32: Int32Array, f32: Float32Array, f64: Float64Array } as const;

function typeOf(a: AnyArray): ArrayType {
  if (a instanceof Uint8Array) return 'u8';
  if (a instanceof Uint16Array) return 'u16';
  if (a instanceof Int16Array) return 'i16';
  if (a instanceof Int32Array) return 'i32';
  if (a instanceof Float32Array) return 'f32';
  return 'f64';
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** A typed array as it travels (as it is: narrow it first with {@link packInts} for whole numbers). */
export function packArray(a: AnyArray): PackedArray {
  return { t: typeOf(a), b: toBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)) };
}

/** Whole numbers in the narrowest type that holds them. */
export const packInts = (values: ArrayLike<number>): PackedArray => packArray(narrowInts(values));

/** The typed array a packed array holds, or undefined when its bytes are not base64 or not whole elements. */
export function unpackArray(p: PackedArray): AnyArray | undefined {
  let bin: string;
  try {
    bin = atob(p.b);
  } catch {
    return undefined;
  }
  const ctor = CTORS[p.t];
  if (bin.length % ctor.BYTES_PER_ELEMENT) return undefined;
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new ctor(bytes.buffer);
}

/** Why a store model or member pack body was refused. */
export type PackError = 'bad-shape' | 'bad-array' | 'bad-length' | 'bad-index';

export const text = (max = 500) => v.pipe(v.string(), v.maxLength(max));
export const id = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
export const int = (min: number, max: number) => v.pipe(v.number(), v.safeInteger(), v.minValue(min), v.maxValue(max));
export const finite = v.pipe(v.number(), v.finite());
export const PackedArraySchema = v.strictObject({ t: v.picklist(['u8', 'u16', 'i16', 'i32', 'f32', 'f64']), b: v.pipe(v.string(), v.maxLength(64 * 1024 * 1024)) });

/** Distinct values in first-seen order, and each one's index. */
export function dictionary(values: readonly string[]): { names: string[]; index: Map<string, number> } {
  const index = new Map<string, number>();
  const names: string[] = [];
  for (const s of values) if (!index.has(s)) index.set(s, names.push(s) - 1);
  return { names, index };
}

/** Every value is an index below `n`. */
export function inRange(a: ArrayLike<number>, n: number): boolean {
  for (let i = 0; i < a.length; i++) if (!(a[i]! >= 0 && a[i]! < n)) return false;
  return true;
}

/** A refused body. */
export const fail = (error: PackError, detail?: string): Result<never, PackError> => ({ ok: false, error, ...(detail ? { detail } : {}) });

/** Where a schema refused a body, in a few words. */
export const issuePath = (issues: readonly v.BaseIssue<unknown>[]): string => {
  const i = issues[0]!;
  const path = i.path?.map((p) => String(p.key)).join('.');
  return path ? `${path}: ${i.message}` : i.message;
};
