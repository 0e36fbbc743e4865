// Keyboard-wedge scanners type the digits fast and press Enter: collect a burst anywhere on the page.
import { useLayoutEffect } from 'preact/hooks';

/** Call `onScan(code)` when a burst of digits ending in Enter arrives outside an input field. */
export function useScanner(onScan: (code: string) => void, enabled = true) {
  // Attached as the screen commits (not after paint), so a burst arriving right as the screen appears is not lost.
  useLayoutEffect(() => {
    if (!enabled) return;
    let buffer = '';
    let last = 0;
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
      const now = performance.now();
      if (now - last > 80) buffer = ''; // a human types slower than a scanner
      last = now;
      if (e.key === 'Enter') {
        if (buffer.length >= 8) onScan(buffer);
        buffer = '';
      } else if (/^\d$/.test(e.key)) buffer += e.key;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onScan, enabled]);
}
