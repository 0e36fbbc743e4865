// Talking to headquarters: the redemption outbox (exactly once, by idempotency key) and incremental feed sync.
import { settle, type LarderDB, type OutboxRecord } from './store.ts';
import { withRetries } from './retry.ts';
import { isFinalRefusal } from '../protocol/errors.ts';

/** How to reach headquarters and how patient to be. */
export interface SyncOptions {
  /** Where `/redemptions` and `/baskets` are: `{headquarters}/v1`. */
  endpoint: string;
  /** The device token (`Authorization: Bearer …`) enrolment gave this device. */
  token?: string;
  fetch?: typeof fetch;
  /** Attempts per record in one drain before giving up until the next drain. */
  maxAttempts?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** What one drain of the outbox did. */
export interface DrainReport {
  sent: number;
  /** Of those, how many headquarters had already (`replay: true`: an earlier answer was lost on the way). */
  replayed?: number;
  /** Records headquarters refused for good (same id, other contents): kept and flagged, never resent silently. */
  conflicts: number;
  /** Still waiting (network down, 5xx, timeouts). */
  pending: number;
  /** Headquarters could not be reached at all (no answer, a timeout): the device is offline as far as it is concerned. */
  unreachable?: boolean;
  lastError?: string;
}

/** Fetch with a timeout, as a Response or a network-level error message. */
async function attempt(doFetch: typeof fetch, url: string, init: RequestInit, timeoutMs: number): Promise<Response | string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    return await doFetch(url, { ...init, signal: controller.signal });
  } catch (e) {
    return controller.signal.aborted ? 'timeout' : `network: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    clearTimeout(timer);
  }
}

/** Queue a record for headquarters (inside the caller's transaction when given one). */
export function outboxRecord(kind: OutboxRecord['kind'], id: string, payload: unknown, now: number): OutboxRecord {
  return { id, kind, payload, createdAt: now, attempts: 0, synced: 0 };
}

/** Send every unsynced outbox record. Each goes with `Idempotency-Key: <record id>`, so a resend after a lost
 * answer is recognised by headquarters and counted once (its 200 says `replay`). A 409 (`key-reused`,
 * `offer-redeemed-elsewhere`, `budget-exhausted`) or 422 (`forged-code`, `unknown-list`, `bad-body`) is final: the
 * record is flagged with headquarters' reason for a person. Anything else (network, 5xx, 401 of a revoked token) keeps
 * it queued for the next drain. */
export async function drainOutbox(db: LarderDB, options: SyncOptions): Promise<DrainReport> {
  const doFetch = options.fetch ?? ((u: RequestInfo | URL, i?: RequestInit) => fetch(u, i));
  const maxAttempts = options.maxAttempts ?? 4;
  const report: DrainReport = { sent: 0, conflicts: 0, pending: 0 };
  const queued = await db.getAllFromIndex('outbox', 'by-synced', 0);
  for (const record of queued) {
    if (record.conflict) {
      report.conflicts++;
      continue;
    }
    let reason: string | undefined;
    const done = await withRetries<'sent' | 'conflict'>(async () => {
      const res = await attempt(doFetch, `${options.endpoint}/${record.kind}s`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': record.id, ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
        body: JSON.stringify(record.payload),
      }, options.timeoutMs ?? 10_000);
      if (typeof res === 'string') {
        report.lastError = res;
        report.unreachable = true;
      }
      else if (res.ok) {
        // A body cut on the way back still means stored: only the replay flag is lost.
        if (await res.json().then((b: { replay?: unknown }) => b?.replay === true, () => false)) report.replayed = (report.replayed ?? 0) + 1;
        return { done: true, value: 'sent' };
      }
      else if (isFinalRefusal(res.status)) {
        reason = await res.json().then((b: { reason?: unknown }) => (typeof b?.reason === 'string' ? b.reason : undefined), () => undefined);
        return { done: true, value: 'conflict' };
      }
      else report.lastError = `HTTP ${res.status}`;
      return { done: false };
    }, { maxAttempts, baseDelayMs: options.baseDelayMs ?? 200, ...(options.sleep ? { sleep: options.sleep } : {}) });
    const tx = db.transaction('outbox', 'readwrite');
    const current = await tx.store.get(record.id);
    if (current) {
      current.attempts += 1;
      if (done === 'sent') current.synced = 1;
      if (done === 'conflict') {
        current.conflict = true;
        if (reason) current.conflictReason = reason;
      }
      void tx.store.put(current);
    }
    await settle(tx);
    if (done === 'sent') report.sent++;
    else if (done === 'conflict') report.conflicts++;
    else report.pending++;
  }
  return report;
}

/** How many records still wait for headquarters. */
export const unsyncedCount = (db: LarderDB) => db.countFromIndex('outbox', 'by-synced', 0);
