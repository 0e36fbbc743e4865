// Request plumbing shared by the routes: bodies read under a size limit and checked by a schema, refusals as JSON.
import type { Context } from 'hono';
import * as v from 'valibot';
import type { ErrorBody } from '../protocol/errors.ts';
import { isUnavailable } from './db/db.ts';
import { HqError } from './errors.ts';

/** The JSON body of a request, validated: 400 for text that is not JSON, 422 with the field for a body the schema
 * refuses (after `prepare`, which may rename fields). The size limit is enforced before (413). */
export async function body<S extends v.GenericSchema>(c: Context, schema: S, prepare: (raw: unknown) => unknown = (x) => x): Promise<v.InferOutput<S>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch {
    throw new HqError(400, 'bad-json', 'the body is not JSON');
  }
  const parsed = v.safeParse(schema, prepare(raw));
  if (parsed.success) return parsed.output;
  const issue = parsed.issues[0];
  const field = v.getDotPath(issue) ?? undefined;
  throw new HqError(422, 'bad-body', `${field ? `${field}: ` : ''}${issue.message}`, field);
}

/** The JSON answer of an error: HqError as it says, a database that is down 503, anything else 500. */
export function errorAnswer(e: unknown): { status: number; body: ErrorBody } {
  if (e instanceof HqError) return { status: e.status, body: { error: e.message, reason: e.reason, ...(e.field ? { field: e.field } : {}) } };
  if (isUnavailable(e)) return { status: 503, body: { error: 'the database is unavailable: keep the record and try again later', reason: 'db-unavailable' } };
  return { status: 500, body: { error: 'headquarters failed on this request', reason: 'internal' } };
}
