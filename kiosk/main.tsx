import { render } from 'preact';
import { App } from './app.tsx';

// The demo kiosk loads the embedded demo store (public/demo) into the device on first run.
const params = new URLSearchParams(location.search);
const dataUrl = new URL(params.get('data') ?? '../demo/', location.href).href;
render(<App dataUrl={dataUrl} />, document.getElementById('app')!);

// Offline from the start of the day: the service worker keeps the app and its data (built site only).
if ('serviceWorker' in navigator && !import.meta.env.DEV) void navigator.serviceWorker.register(new URL('../sw.js', location.href), { scope: '../' });
// Ask the browser not to evict the kiosk's database under storage pressure.
void navigator.storage?.persist?.();
