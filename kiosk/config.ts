// Where this kiosk's data and headquarters are: `?hq=` (headquarters' base URL) and `?data=` (a feed folder loaded
// into the device at start). Without `?hq=` the kiosk is the demo: the demo's headquarters on the same server
// (`/hq/`, which `npm start` proxies to `larder hq --demo`), its feed folder, and enrolment through the demo-only route.

/** This kiosk's settings, read once from its URL. */
export const kioskConfig = (() => {
  const params = new URLSearchParams(location.search);
  const demo = !params.has('hq');
  const data = params.get('data') ?? (demo ? '../demo/' : undefined);
  return {
    /** The demo kiosk enrols itself at the demo headquarters (a real one is enrolled by its manager with a code). */
    demo,
    dataUrl: data === undefined ? undefined : new URL(data, location.href).href,
    hqUrl: new URL(params.get('hq') ?? '../hq', location.href).href.replace(/\/+$/, ''),
  };
})();
