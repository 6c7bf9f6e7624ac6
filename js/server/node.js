// iamport-billing/server for Node, Bun and Deno (export conditions `node`, `bun`, `deno`), and for
// Next.js's Node runtime: reads the .wasm beside this file, compiles it once when first imported.
// Synchronous, so `createIamportClient` checks its config at once.

import { readFileSync } from 'node:fs';
import { initSync } from './bindings.js';

initSync({ module: readFileSync(new URL('./bindings_bg.wasm', import.meta.url)) });

export * from './api.js';
