// What a user writes: no wasm plugin, no experiments, no loaders. Webpack 5 emits the package's
// `new URL('./iamport_billing_bg.wasm', import.meta.url)` as an asset and its dynamic import() as a chunk.
export default {
  mode: 'production',
  entry: './src/index.js',
  output: {
    path: `${import.meta.dirname}/dist`,
    filename: 'main.js',
    clean: true,
  },
};
