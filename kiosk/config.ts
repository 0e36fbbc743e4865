// Where this kiosk's data and headquarters are: `?data=` (feed folder) and `?hq=` (headquarters endpoint) in the URL,
// defaulting to the demo's embedded data and the demo's headquarters on the same server.

/** This kiosk's settings, read once from its URL. */
export const kioskConfig = (() => {
  const params = new URLSearchParams(location.search);
  return {
    dataUrl: new URL(params.get('data') ?? '../demo/', location.href).href,
    hqUrl: new URL(params.get('hq') ?? '../hq', location.href).href,
  };
})();
