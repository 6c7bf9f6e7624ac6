// iamport-billing/server for Cloudflare Workers (export conditions `workerd`, `worker`): wrangler
// (and esbuild with a CompiledWasm rule) keeps the .wasm a module of its own, which workerd hands
// over compiled (a WebAssembly.Module). Only an instance is made here: workerd refuses to compile
// wasm from bytes. scripts/build-server-pkg.sh also bundles this file with the .wasm inlined as
// bytes into inline.js (the `iamport-billing/server/inline` export).

import { initSync } from './bindings.js';
import wasm from './bindings_bg.wasm';

initSync({ module: wasm });

export * from './api.js';
