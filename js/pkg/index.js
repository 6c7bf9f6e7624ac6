// iamport-billing: the package entry. It never waits and never throws. It is the pure entry
// (pure.js: the same exports, one shared implementation) plus one side effect: in a browser or a
// worker it starts loading the wasm at import time, in the background, so that a click a moment
// later runs synchronously. In Node (SSR, tests) nothing loads until the first `ready()` or call.
import { ready } from './pure.js';

export * from './pure.js';

if (!globalThis.process?.getBuiltinModule) ready().catch(() => {});
