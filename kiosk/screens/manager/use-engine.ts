// A manager panel's engine call: undefined while it runs, the value, or 'failed' (each panel fails on its own).
import { useEffect, useState } from 'preact/hooks';

/** Run `call` once on mount (and again when `key` changes) and keep its answer. */
export function useEngineCall<T>(call: () => Promise<T>, key: unknown = 0): T | 'failed' | undefined {
  const [value, setValue] = useState<T | 'failed'>();
  useEffect(() => {
    let live = true;
    setValue(undefined);
    call().then((v) => live && setValue(() => v), () => live && setValue('failed'));
    return () => { live = false; };
  }, [key]);
  return value;
}
