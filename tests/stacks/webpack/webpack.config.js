// What a user writes: no wasm plugin, no experiments, no loaders. Webpack 5 emits the package's
// `new URL('./iamport_billing_bg.wasm', import.meta.url)` as an asset and its dynamic import() as a chunk.
// Two pages: main.js imports 'iamport-billing', pure.js 'iamport-billing/pure'.
export default {
  mode: 'production',
  entry: { main: './src/index.js', pure: './src/pure.js' },
  output: {
    path: `${import.meta.dirname}/dist`,
    filename: '[name].js',
    clean: true,
  },
};
