// An enrolled device stays current all day: after each sync from its headquarters the engine itself plans the next
// one (every 15 minutes by default, so a deal, a price or a member enrolled at another kiosk reaches this one the same
// day), sooner after a sync that failed (backoff from 30 s, never longer apart than the period), and at once when the
// browser comes back online. Offline between syncs, the device runs on what it holds.
import { backoffDelay } from '../retry.ts';

/** How often (tests shorten it). */
export interface FeedScheduleOptions {
  /** The wait after a sync that worked (default 15 min). */
  everyMs?: number;
  /** The first wait after a sync that failed (default 30 s), doubled each time up to `everyMs`. */
  retryBaseMs?: number;
}

/** The plan of the next sync; `run` syncs, and calls `after` when it synced from the enrolled headquarters. */
export function feedSchedule(run: () => Promise<unknown>, options: FeedScheduleOptions = {}) {
  const everyMs = options.everyMs ?? 15 * 60_000;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let nextAt: number | undefined;

  const fire = () => {
    timer = undefined;
    nextAt = undefined;
    // The sync plans the next one itself; one that threw (storage, say) counts as failed, tried again after its
    // backoff. A device no longer enrolled answers without planning: nothing more is planned.
    void run().catch(() => { if (!timer) after(false); });
  };

  /** A sync has just ended (`ok`: it worked): plan the next. */
  function after(ok: boolean) {
    if (timer) clearTimeout(timer);
    failures = ok ? 0 : failures + 1;
    const ms = ok ? everyMs : backoffDelay(failures, { baseDelayMs: options.retryBaseMs ?? 30_000, maxDelayMs: everyMs, random: Math.random });
    nextAt = Date.now() + ms;
    timer = setTimeout(fire, ms);
    (timer as { unref?: () => void }).unref?.(); // in Node (tests, the CLI) a planned sync never holds the process open
  }

  const g = globalThis as { addEventListener?: (type: string, fn: () => void) => void };
  g.addEventListener?.('online', () => { if (timer) { clearTimeout(timer); fire(); } });

  return {
    after,
    /** When the next sync is due (ms since the epoch), if one is planned. */
    nextAt: () => nextAt,
  };
}
