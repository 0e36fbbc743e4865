// `larder hq` as a child process, for whoever needs a real headquarters beside them (`npm start`, the browser tests,
// the end-to-end run, the bench): started with `--json`, ready when it prints the line saying where it listens.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/larder.mjs', import.meta.url));

/** Start `larder hq --json …args`: `ready` resolves with its first JSON line (`listening`, `db`) once it listens and
 * rejects when it exits before. Every other stdout line goes to `onLine` (or nowhere); stderr to ours. */
export function spawnHq(args, { env = process.env, cwd, onLine } = {}) {
  const child = spawn(process.execPath, [BIN, 'hq', '--json', ...args], { env, ...(cwd ? { cwd } : {}), stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise((resolve, reject) => {
    let listening = false;
    createInterface({ input: child.stdout }).on('line', (line) => {
      let answer;
      try { answer = line.startsWith('{') ? JSON.parse(line) : undefined; } catch { answer = undefined; }
      if (!listening && answer?.listening) {
        listening = true;
        resolve(answer);
      } else onLine?.(line);
    });
    child.once('exit', (code) => { if (!listening) reject(new Error(`headquarters exited (${code}) before listening`)); });
  });
  return { child, ready };
}

/** Stop a started headquarters and wait for it to exit. */
export async function stopHq(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}
