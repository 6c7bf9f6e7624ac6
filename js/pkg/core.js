// iamport-billing: core.js, what the entry (pure.js) loads in the background: wasm-bindgen's
// bindings, the glue with the JavaScript API (js/glue.js), and the wasm's instantiation. The wasm's
// two exports are handed to the glue here (the npm build has no closures). scripts/build-pkg.sh
// points the imports at the files wasm-bindgen wrote.
import { initSync, call, report } from './bindings.js';
import { setHandlers } from '../glue.js';
// The entry's own class (it is loaded: it is what imports this module), so errors made before and
// after the wasm arrives are instances of one class.
import { BillingKeyError } from './pure.js';

setHandlers({ call, report }, BillingKeyError);

export { requestBillingKey, loadIamport, validateParams, parseRedirect, newMerchantUid } from '../glue.js';

/**
 * Instantiates the wasm: from the entry's fetch Response (compiled as it streams in), or in Node
 * (no Response: `source` is undefined) from the package's own file at `url`.
 */
export async function init(source, url) {
  initSync({ module: await (source ? WebAssembly.compileStreaming(source) : WebAssembly.compile(readWasm(url))) });
}

function readWasm(url) {
  const builtin = process.getBuiltinModule;
  const href = String(url);
  // A bundler's server build (Next.js) may turn the URL into the path of its client asset: then
  // find this package the way Node does, from the app's folder.
  const file = href.startsWith('file:')
    ? new URL(href)
    : builtin('path').join(
        builtin('path').dirname(builtin('module').createRequire(`${process.cwd()}/`).resolve('iamport-billing/package.json')),
        'iamport_billing_bg.wasm',
      );
  return builtin('fs').readFileSync(file);
}
