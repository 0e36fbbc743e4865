// Refusals as values the routes throw and the app turns into `{"error", "reason", "field"}` answers.
import type { ErrorReason } from '../protocol/errors.ts';

/** A refusal with its HTTP status. */
export class HqError extends Error {
  constructor(readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 503, readonly reason: ErrorReason, message: string, readonly field?: string) {
    super(message);
    this.name = 'HqError';
  }
}

/** Shorthands for the common refusals. */
export const refuse = {
  unauthenticated: (reason: ErrorReason = 'missing-credential', message = 'a credential is required (Authorization: Bearer …)') => new HqError(401, reason, message),
  forbidden: (message: string) => new HqError(403, 'forbidden', message),
  notFound: (message: string) => new HqError(404, 'not-found', message),
  badBody: (message: string, field?: string) => new HqError(422, 'bad-body', message, field),
};
