import { render } from 'preact';
import { App } from './app.tsx';
import { kioskConfig } from './config.ts';
import { registerServiceWorker } from './sw-update.ts';

// The demo kiosk enrols itself at the demo headquarters and syncs the demo store's data from there (its own store's
// members only); a store's kiosk (`?hq=`) is enrolled by its manager and gets its data from headquarters.
render(<App {...(kioskConfig.dataUrl ? { dataUrl: kioskConfig.dataUrl } : {})} {...(kioskConfig.demo ? { demoHq: kioskConfig.hqUrl } : {})} />, document.getElementById('app')!);

// Offline from the start of the day: the service worker keeps the app and its data (built site only).
if (!import.meta.env.DEV) void registerServiceWorker(new URL('../sw.js', location.href), '../');
// Ask the browser not to evict the kiosk's database under storage pressure.
void navigator.storage?.persist?.();
