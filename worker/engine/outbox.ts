// The engine's own outbox drain: whenever there is something to send, the device is enrolled and the network is up,
// whatever screen is open. A checkout, the browser coming back online, or a page asking for the outbox's status
// starts a drain; a drain that leaves records waiting tries again after a backoff (worker/retry.ts) until none wait.
import { getMeta } from '../meta.ts';
import { drainOutbox, type DrainReport } from '../sync.ts';
import { backoffDelay } from '../retry.ts';
import type { EngineContext } from './context.ts';

/** What the last drain did, for the till's status line. */
export interface PumpState {
  sending: boolean;
  /** When the last drain ended (ms since the epoch) and what it did. */
  last?: { at: number; sent: number; pending: number; conflicts: number; error?: string; unreachable?: boolean };
  /** When the next try is due, while records wait. */
  nextTryAt?: number;
}

/** How patient the drain is (tests shorten the waits). */
export interface PumpOptions {
  /** First wait after a drain that left records queued (default 2 s), doubled each time up to `maxDelayMs` (5 min). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Tries of one record within one drain (default 3). */
  attemptsPerDrain?: number;
  /** Wait between those tries (default 500 ms). */
  retryDelayMs?: number;
  timeoutMs?: number;
}

const pumps = new WeakMap<EngineContext, ReturnType<typeof createPump>>();

/** The outbox drain of one engine (made on first use). */
export function outboxPump(ctx: EngineContext) {
  let pump = pumps.get(ctx);
  if (!pump) pumps.set(ctx, (pump = createPump(ctx, ctx.options.outbox ?? {})));
  return pump;
}

const online = () => (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine !== false;

function createPump(ctx: EngineContext, options: PumpOptions) {
  const state: PumpState = { sending: false };
  let running: Promise<DrainReport | undefined> | undefined;
  let again = false;
  let retry = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function once(): Promise<DrainReport | undefined> {
    const d = await ctx.db();
    const link = await getMeta(d, 'hq:link');
    if (!link) return undefined;
    if ((await d.countFromIndex('outbox', 'by-synced', 0)) === 0) return { sent: 0, conflicts: 0, pending: 0 };
    return drainOutbox(d, {
      endpoint: `${link.baseUrl}/v1`, token: link.deviceToken, fetch: ctx.doFetch,
      maxAttempts: options.attemptsPerDrain ?? 3, baseDelayMs: options.retryDelayMs ?? 500, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
  }

  function schedule(report: DrainReport | undefined) {
    if (timer) clearTimeout(timer);
    timer = undefined;
    delete state.nextTryAt;
    if (!report || report.pending === 0) {
      retry = 0;
      return;
    }
    retry++;
    const ms = backoffDelay(retry, { baseDelayMs: options.baseDelayMs ?? 2_000, maxDelayMs: options.maxDelayMs ?? 300_000, random: Math.random });
    state.nextTryAt = Date.now() + ms;
    timer = setTimeout(() => void kick().catch(() => undefined), ms);
    (timer as { unref?: () => void }).unref?.(); // in Node (tests, the CLI) a waiting drain never holds the process open
  }

  /** Drain now (joining a drain under way, which then runs once more for what arrived meanwhile). */
  function kick(): Promise<DrainReport | undefined> {
    if (running) {
      again = true;
      return running;
    }
    state.sending = true;
    running = (async () => {
      let report: DrainReport | undefined;
      do {
        again = false;
        // Offline, nothing is tried; the `online` event (or the backoff timer, if the browser was wrong) starts again.
        const pass = online() ? await once() : { sent: 0, conflicts: 0, pending: 1, lastError: 'offline', unreachable: true };
        // What every pass did: a caller who joined a drain under way hears of what it sent too.
        report = pass && report ? { ...pass, sent: report.sent + pass.sent, replayed: (report.replayed ?? 0) + (pass.replayed ?? 0) } : pass;
      } while (again);
      return report;
    })().then((report) => {
      // A drain that found nothing to send leaves the last real one on show.
      if (report && (report.sent || report.pending || report.conflicts)) state.last = {
        at: Date.now(), sent: report.sent, pending: report.pending, conflicts: report.conflicts,
        ...(report.lastError ? { error: report.lastError } : {}), ...(report.unreachable && report.pending ? { unreachable: true } : {}),
      };
      schedule(report);
      return report;
    }, (e: unknown) => {
      state.last = { at: Date.now(), sent: 0, pending: 1, conflicts: 0, error: e instanceof Error ? e.message : String(e) };
      schedule({ sent: 0, conflicts: 0, pending: 1 });
      throw e;
    }).finally(() => {
      state.sending = false;
      running = undefined;
    });
    return running;
  }

  const g = globalThis as { addEventListener?: (type: string, fn: () => void) => void };
  g.addEventListener?.('online', () => void kick().catch(() => undefined));

  return {
    kick,
    /** Start a drain unless one is under way or waiting for its backoff. */
    nudge() {
      if (!running && !timer) void kick().catch(() => undefined);
    },
    state: (): PumpState => ({ ...state, ...(state.last ? { last: { ...state.last } } : {}) }),
    /** Stop waiting (a test's end, a device erased). */
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
