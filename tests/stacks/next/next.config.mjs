// This app sits inside the iamport-billing repository, whose own package-lock.json Next would
// otherwise take for the workspace root. Nothing here is for the package.
const root = import.meta.dirname;

export default {
  turbopack: { root },
  outputFileTracingRoot: root,
  // Test wiring: the app is built twice, by Turbopack (.next) and by webpack (NEXT_DIST_DIR=.next-webpack).
  distDir: process.env.NEXT_DIST_DIR || '.next',
};
