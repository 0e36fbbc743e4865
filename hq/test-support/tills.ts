// Simulated tills for the load-and-fault test and the bench: a headquarters child process on 127.0.0.1, and 50 tills
// each draining its own queue of redemptions one at a time, resending after a network error or a 5xx as a kiosk does.
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { seededRandom } from '../../core/random.ts';
import { spawnHq as startHq } from '../spawn.mjs';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A running `larder hq` child process. */
export interface HqProcess {
  url: string;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
}

/** Start `larder hq … --json` (hq/spawn.mjs) and wait until it listens. */
export async function spawnHq(args: string[], env: Record<string, string>): Promise<HqProcess> {
  const { child, ready } = startHq(args, { env: { ...process.env, ...env } });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return { url: (await ready).listening, child, exited };
}

/** One redemption a till sends: a list offer's first key (`first`), a resend of one (`duplicate`), or another till's
 * key on the same list offer (`conflict`). */
export interface TillRecord {
  key: string;
  kind: 'first' | 'duplicate' | 'conflict';
  pair: number;
  body: { id: string; listId: string; offerId: string; dealId: string; memberId: string; basketId: string; amountCents: number };
}

/** The workload: `pairs` list offers (4 per list, over `deals` deals), `duplicates` resends by the same till after
 * its first send, `conflicts` second keys from other tills; queues shuffled with a seed. */
export function workload(o: { pairs: number; duplicates: number; conflicts: number; tills: number; deals: number; seed: number }) {
  const random = seededRandom(o.seed);
  const pick = (n: number) => Math.floor(random() * n);
  const queues: TillRecord[][] = Array.from({ length: o.tills }, () => []);
  const tail: TillRecord[][] = Array.from({ length: o.tills }, () => []);
  const lists = Math.ceil(o.pairs / 4);
  const body = (pair: number, key: string, till: number) => {
    const listId = `L${Math.floor(pair / 4)}`;
    const dealId = `D${pair % o.deals}`;
    return { id: key, listId, offerId: `${listId}:${dealId}:P${pair % 4}`, dealId, memberId: `M${Math.floor(pair / 4) % 997}`, basketId: `T${till}-${pair}`, amountCents: 50 + ((pair * 37) % 100) };
  };
  const owner: number[] = [];
  for (let p = 0; p < o.pairs; p++) {
    const till = pick(o.tills);
    owner.push(till);
    queues[till]!.push({ key: `g-${p}`, kind: 'first', pair: p, body: body(p, `g-${p}`, till) });
  }
  for (let i = 0; i < o.conflicts; i++) {
    const p = pick(o.pairs);
    const till = (owner[p]! + 1 + pick(o.tills - 1)) % o.tills;
    queues[till]!.push({ key: `c-${i}`, kind: 'conflict', pair: p, body: body(p, `c-${i}`, till) });
  }
  for (const q of queues) {
    for (let i = q.length - 1; i > 0; i--) {
      const j = pick(i + 1);
      [q[i], q[j]] = [q[j]!, q[i]!];
    }
  }
  for (let i = 0; i < o.duplicates; i++) {
    const p = pick(o.pairs);
    const till = owner[p]!;
    tail[till]!.push({ key: `g-${p}`, kind: 'duplicate', pair: p, body: body(p, `g-${p}`, till) });
  }
  return { lists, queues: queues.map((q, i) => [...q, ...tail[i]!]) };
}

/** What one record got in the end, and whether a try before was lost (network error or 5xx). */
export interface TillAnswer {
  record: TillRecord;
  status: number;
  replay?: boolean;
  reason?: string;
  lostTries: number;
}

/** Drain every till's queue at once against `url()` (read at each try: headquarters may move after a restart). */
export async function runTills(url: () => string, tokens: string[], queues: TillRecord[][], onAnswer?: (done: number) => void): Promise<TillAnswer[]> {
  const answers: TillAnswer[] = [];
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  await Promise.all(queues.map(async (queue, t) => {
    for (const record of queue) {
      let lostTries = 0;
      for (;;) {
        try {
          const res = await fetch(`${url()}/v1/redemptions`, {
            method: 'POST', body: JSON.stringify(record.body),
            headers: { authorization: `Bearer ${tokens[t]}`, 'idempotency-key': record.key, 'content-type': 'application/json' },
          });
          const b = await res.json() as { replay?: boolean; reason?: string };
          if (res.status >= 500) throw new Error(`HTTP ${res.status}`);
          answers.push({ record, status: res.status, ...(b.replay !== undefined ? { replay: b.replay } : {}), ...(b.reason ? { reason: b.reason } : {}), lostTries });
          onAnswer?.(answers.length);
          break;
        } catch {
          lostTries++;
          if (lostTries > 600) throw new Error(`till ${t}: ${record.key} never answered`);
          await sleep(50);
        }
      }
    }
  }));
  return answers;
}
