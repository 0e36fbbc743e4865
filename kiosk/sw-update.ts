// The kiosk's service worker: registered once, and updated only when the page says so — the device panel says so
// only when nothing waits for headquarters (reliability promise 7), so an update never strands unsent redemptions.

type Listener = (ready: boolean) => void;
let waiting: ServiceWorker | null = null;
const listeners = new Set<Listener>();
const announce = () => { for (const l of listeners) l(waiting !== null); };

/** Register the service worker at `url` (scope `scope`) and watch for an update waiting to take over. */
export async function registerServiceWorker(url: URL, scope: string): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.register(url, { scope });
  const watch = (worker: ServiceWorker | null) => {
    worker?.addEventListener('statechange', () => {
      if (worker.state === 'installed' && navigator.serviceWorker.controller) { waiting = worker; announce(); }
    });
  };
  if (registration.waiting && navigator.serviceWorker.controller) { waiting = registration.waiting; announce(); }
  registration.addEventListener('updatefound', () => watch(registration.installing));
}

/** Be told whether an update is ready; returns the unsubscribe function. */
export function onUpdateReady(listener: Listener): () => void {
  listeners.add(listener);
  listener(waiting !== null);
  return () => listeners.delete(listener);
}

/** Let the waiting service worker take over, then reload into the new version. */
export function applyUpdate(): boolean {
  if (!waiting) return false;
  navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
  waiting.postMessage({ type: 'skip-waiting' });
  return true;
}
