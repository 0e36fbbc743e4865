// Larder kiosk service worker: keeps the app usable with no network (the store's data is in the kiosk's IndexedDB,
// synced from headquarters, whose requests under /hq/ never go through this cache).
// Hashed build assets are cache-first (they never change); pages and data are network-first with the cache as fallback.
// v2: the kiosk no longer loads a public folder of feeds (its data comes from headquarters); activating this version
// deletes v1's cache, which held the old demo folder.
const CACHE = 'larder-kiosk-v2';

// The first install takes over at once; an update waits until the kiosk page asks for it (it asks only when no
// redemption is waiting for headquarters).
self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(['./kiosk/'])).catch(() => {}).then(() => (self.registration.active ? undefined : self.skipWaiting())));
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'skip-waiting') void self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/hq/')) return;
  const immutable = url.pathname.includes('/assets/');
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    if (immutable) {
      const hit = await cache.match(request);
      if (hit) return hit;
    }
    try {
      const response = await fetch(request);
      if (response.ok) void cache.put(request, response.clone());
      return response;
    } catch (e) {
      const hit = await cache.match(request, { ignoreSearch: !immutable });
      if (hit) return hit;
      throw e;
    }
  })());
});
