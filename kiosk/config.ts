// Where this kiosk's data and headquarters are: `?hq=` (headquarters' base URL) and `?data=` (a feed folder loaded
// into the device at start, for a store device seeded from files). Without `?hq=` the kiosk is the demo: the demo's
// headquarters on the same server (`/hq/`, which `npm start` proxies to `larder hq --demo`), enrolment through the
// demo-only route, and the demo store's data synced from there (no folder: nothing personal is served publicly).

/** This kiosk's settings, read once from its URL. */
export const kioskConfig = (() => {
  const params = new URLSearchParams(location.search);
  const demo = !params.has('hq');
  const data = params.get('data');
  return {
    /** The demo kiosk enrols itself at the demo headquarters (a real one is enrolled by its manager with a code). */
    demo,
    dataUrl: data === null ? undefined : new URL(data, location.href).href,
    hqUrl: new URL(params.get('hq') ?? '../hq', location.href).href.replace(/\/+$/, ''),
  };
})();
