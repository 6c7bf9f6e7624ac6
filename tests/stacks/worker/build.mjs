// Bundles src/index.js into dist/ the way wrangler 4 does (`wrangler deploy --dry-run --outdir dist`),
// which needs Node 22 and this machine has Node 20: esbuild (the version wrangler 4.116 pins) with
// wrangler's export conditions (`workerd`, `worker`, `browser`), ES module output, and its module
// rule for WebAssembly: an imported `.wasm` (or `.wasm?module`) is not bundled but copied beside the
// bundle and left an import, which workerd loads as a compiled WebAssembly.Module (CompiledWasm).
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { build } from 'esbuild';

const DIST = path.join(import.meta.dirname, 'dist');
rmSync(DIST, { recursive: true, force: true });
mkdirSync(DIST);

/** wrangler's CompiledWasm rule: `<sha1>-<name>.wasm` beside the bundle, imported as a module. */
const compiledWasm = {
  name: 'compiled-wasm',
  setup(b) {
    b.onResolve({ filter: /\.wasm(\?module)?$/ }, (args) => {
      const file = path.resolve(args.resolveDir, args.path.replace(/\?module$/, ''));
      const hash = createHash('sha1').update(readFileSync(file)).digest('hex');
      const name = `${hash}-${path.basename(file)}`;
      copyFileSync(file, path.join(DIST, name));
      return { path: `./${name}`, external: true };
    });
  },
};

await build({
  entryPoints: [path.join(import.meta.dirname, 'src', 'index.js')],
  outfile: path.join(DIST, 'index.js'),
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2024',
  conditions: ['workerd', 'worker', 'browser'],
  mainFields: ['module', 'main'],
  plugins: [compiledWasm],
  logLevel: 'warning',
});
