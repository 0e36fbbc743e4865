// Types of hq/spawn.mjs for the TypeScript that starts a headquarters (the tills' tests, the bench).
import type { ChildProcess } from 'node:child_process';

/** What `larder hq --json` prints first once it listens. */
export interface HqReady { listening: string; db?: string; [k: string]: unknown }

export function spawnHq(args: readonly string[], options?: { env?: NodeJS.ProcessEnv; cwd?: string; onLine?: (line: string) => void }): { child: ChildProcess; ready: Promise<HqReady> };

export function stopHq(child: ChildProcess): Promise<void>;
