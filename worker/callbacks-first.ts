// The page hears a method's callbacks before its answer. A callback the page passes (progress, sync status) is a
// Comlink proxy with a message port of its own, and messages on two ports keep no order between them: without this,
// a progress report sent before the answer could reach the page after it, and put a kiosk that is already showing
// its scan screen back on "Loading store data…", for good.

type Method = (...args: never[]) => unknown;

/** Wrap `engine` so that each method's answer (value or error) waits until every call it made to a callback argument
 * has been heard by the page (a proxied call resolves once the page ran it). */
export function callbacksFirst<E extends Record<string, unknown>>(engine: E): E {
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(engine)) {
    if (typeof member !== 'function') {
      wrapped[name] = member;
      continue;
    }
    const method = member as Method;
    wrapped[name] = async (...args: unknown[]) => {
      const calls: unknown[] = [];
      const heard = args.map((a) => (typeof a === 'function'
        ? (...xs: unknown[]) => {
            const r: unknown = (a as (...xs: unknown[]) => unknown)(...xs);
            calls.push(r);
            return r;
          }
        : a));
      try {
        return await (method as (...xs: unknown[]) => unknown)(...heard);
      } finally {
        await Promise.allSettled(calls);
      }
    };
  }
  return wrapped as E;
}
