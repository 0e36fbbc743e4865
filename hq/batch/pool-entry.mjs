// The pool's worker-thread entry: worker threads do not inherit the main thread's TypeScript loader, so each registers
// tsx before loading the TypeScript task (hq/batch/pool-worker.ts).
import { register } from 'tsx/esm/api';

register();
const task = await import('./pool-worker.ts');
export default task.default;
