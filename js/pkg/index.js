// iamport-billing: the package entry. It never waits and never throws. It is the pure entry
// (pure.js, bundled into this file by scripts/build-pkg.sh with core.js imported statically: one
// request for an importer without a bundler, and ready() waits for the .wasm alone; the
// implementation is still one per page, see pure.js) plus one side effect: in a browser
// or a worker it starts loading the wasm at import time, in the background, so that a click a
// moment later runs synchronously. In Node (SSR, tests) nothing loads until the first `ready()` or call.
import { ready } from './pure.js';

export * from './pure.js';

// In a microtask: the importing modules' own code runs first (they are evaluated in the same task,
// before any microtask), then the requests go out, a moment later, in the same task.
if (!globalThis.process?.getBuiltinModule) queueMicrotask(() => ready().catch(() => {}));
