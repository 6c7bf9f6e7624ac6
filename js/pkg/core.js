// iamport-billing: core.js, what pure.js loads on the first ready() (index.js holds it): wasm-bindgen's
// bindings, the glue with the JavaScript API (js/glue.js), and the wasm's instantiation. The wasm's
// two exports are handed to the glue here (the npm build has no closures). scripts/build-pkg.sh
// points the imports at the files wasm-bindgen wrote.
import { initSync, call, report } from './bindings.js';
import { setHandlers } from '../glue.js';

export { requestBillingKey, loadIamport, validateParams, parseRedirect, newMerchantUid } from '../glue.js';

/**
 * Instantiates the wasm: `module` is the entry's, compiled as the response streamed in; in Node
 * (`module` undefined) it is compiled from the package's own file at `url`. `ErrorClass` is the
 * entry's BillingKeyError, so errors made before and after the wasm arrives are of one class.
 */
export async function init(module, url, ErrorClass) {
  initSync({ module: module ?? (await WebAssembly.compile(readWasm(url))) });
  setHandlers({ call, report }, ErrorClass);
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
