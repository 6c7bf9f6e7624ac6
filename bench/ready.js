// Measures one fresh load: the time from starting the import to the API being usable, and how much
// of it was spent waiting for the network (the last fetched file's responseEnd).
const target = new URLSearchParams(location.search).get('target');
try {
  const t0 = performance.now();
  if (target === 'ours') {
    const mod = await import('../pkg/index.js');
    await mod.ready();
  } else {
    await import('./baseline.js');
  }
  const t1 = performance.now();
  const fetched = performance
    .getEntriesByType('resource')
    .filter((e) => e.startTime >= t0 && /\/(pkg\/|bench\/baseline\.js)/.test(e.name));
  const lastByte = Math.max(t0, ...fetched.map((e) => e.responseEnd));
  window.__bench = { ok: true, ms: t1 - t0, network: lastByte - t0, afterNetwork: t1 - lastByte, files: fetched.length };
} catch (e) {
  window.__bench = { ok: false, error: String((e && e.stack) || e) };
}
