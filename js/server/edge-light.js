// iamport-billing/server for Next.js's edge runtime and Vercel Edge Functions (export condition
// `edge-light`): `?module` asks Next.js's bundler (webpack or Turbopack) to keep the .wasm a file of
// its own and import it compiled (a WebAssembly.Module). Only an instance is made here: Vercel Edge
// refuses to compile wasm from bytes.

import { initSync } from './bindings.js';
import wasm from './bindings_bg.wasm?module';

initSync({ module: wasm });

export * from './api.js';
