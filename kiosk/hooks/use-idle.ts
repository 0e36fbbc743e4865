// A kiosk left alone goes back to the start screen, so the next person never sees the last member's list.
import { useEffect } from 'preact/hooks';

/** Call `onIdle` after `ms` without a touch, click or key press. */
export function useIdle(onIdle: () => void, ms: number, enabled = true) {
  useEffect(() => {
    if (!enabled) return;
    let timer = setTimeout(onIdle, ms);
    const reset = () => {
      clearTimeout(timer);
      timer = setTimeout(onIdle, ms);
    };
    const events = ['pointerdown', 'keydown', 'touchstart'] as const;
    for (const e of events) window.addEventListener(e, reset, { passive: true });
    return () => {
      clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, reset);
    };
  }, [onIdle, ms, enabled]);
}
