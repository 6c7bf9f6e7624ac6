// Measures one fresh load: the time from starting the import to the API being usable, and how much
// of it was spent waiting for the network (the last fetched file's responseEnd).
const target = new URLSearchParams(location.search).get('target');
try {
  const t0 = performance.now();
  if (target === 'ours' || target === 'preload') {
    if (target === 'preload') {
      // What a page can add to its <head>: the wasm fetch starts beside index.js instead of after it.
      const link = Object.assign(document.createElement('link'), { rel: 'preload', as: 'fetch', crossOrigin: 'anonymous' });
      link.href = new URL('../pkg/iamport_billing_bg.wasm', import.meta.url).href;
      document.head.appendChild(link);
    }
    const mod = await import('../pkg/index.js');
    await mod.ready();
  } else if (target === 'floor') {
    await import('./empty.js'); // an empty module: what any import costs on this machine
  } else {
    await import('./baseline.js');
  }
  const t1 = performance.now();
  const fetched = performance
    .getEntriesByType('resource')
    .filter((e) => e.startTime >= t0 && /\/(pkg\/|bench\/(baseline|empty)\.js)/.test(e.name));
  const lastByte = Math.max(t0, ...fetched.map((e) => e.responseEnd));
  window.__bench = { ok: true, ms: t1 - t0, network: lastByte - t0, afterNetwork: t1 - lastByte, files: fetched.length };
} catch (e) {
  window.__bench = { ok: false, error: String((e && e.stack) || e) };
}
