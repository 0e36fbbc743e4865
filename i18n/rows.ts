// A rejected feed row's reason (code and parameters, as the validators emit it) in words.
import type { RowError } from '../core/feeds/schemas.ts';
import type { Locale } from './translation.ts';
import { lookup } from './translation.ts';
import { rows as en } from './en/rows.ts';
import { rows as zh } from './zh-cn/rows.ts';

/** A reason by code and parameters (a row error, or a group of them), or a stored English sentence. */
type Coded = { code?: RowError['code'] | string; params?: RowError['params']; message?: string };

/** Why a row was rejected, in a locale; a row stored before rows carried codes shows the English it was stored with. */
export function rowErrorText(e: Coded, locale: Locale = 'en'): string {
  const template = lookup(locale === 'zh-CN' ? zh : en, e.code);
  return template ? template(e.params ?? {}) : (e.message ?? String(e.code));
}

/** Why a row was rejected, in English only: what the worker stores beside the code (its bundle then holds no Chinese). */
export function rowErrorEnglish(e: Coded): string {
  const template = lookup(en, e.code);
  return template ? template(e.params ?? {}) : (e.message ?? String(e.code));
}

/** One English sentence for a person: what was wrong, the value, what was expected (`larder validate`). */
export function describeRowError(e: RowError): string {
  const value = e.value === undefined ? '' : ` "${e.value}"`;
  const expected = e.expected ? ` (expected ${e.expected})` : '';
  return `${rowErrorEnglish(e)}${value}${expected}`;
}
