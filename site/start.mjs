// `npm start`: the demo on the real headquarters. Starts `larder hq --demo` (embedded PostgreSQL in .larder-hq-demo,
// the seeded demo store loaded into it on the first start, demo PIN 1234), waits until it answers, then Vite, which
// proxies `/hq/` to it (vite.config.ts). Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { spawnHq } from '../hq/spawn.mjs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const hqPort = process.env.LARDER_HQ_PORT ?? '8787';
const vitePort = process.env.PORT ?? '5173';
const data = process.env.LARDER_HQ_DATA ?? '.larder-hq-demo';
const children = [];

function stop(code = 0) {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
}
process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));

console.log(`headquarters: starting on 127.0.0.1:${hqPort} with the demo store in ${data} (the first start loads ~1 M basket lines: a few minutes)…`);
const { child: hq, ready } = spawnHq(['--demo', '--port', hqPort, '--data', data], { cwd: root, onLine: (line) => console.log(line) });
children.push(hq);
hq.once('exit', (code) => {
  console.error(`headquarters stopped (exit ${code})`);
  stop(code || 1);
});
ready.then((answer) => {
  console.log(`headquarters: listening on ${answer.listening} (${answer.db}); the kiosk enrols itself through /hq/`);
  const vite = spawn(process.execPath, ['node_modules/vite/bin/vite.js', '--host', '127.0.0.1', '--port', vitePort], {
    cwd: root, stdio: 'inherit', env: { ...process.env, LARDER_HQ_URL: answer.listening },
  });
  children.push(vite);
  vite.once('exit', (code) => stop(code ?? 0));
}, () => { /* the exit handler above says so */ });
