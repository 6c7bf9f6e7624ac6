// A small static server for the end-to-end tests: www/ at `/`, the repository's pkg/ at `/pkg/`,
// the right MIME types (application/wasm, text/javascript), and optionally a strict
// Content-Security-Policy header.
//
//   node tests/e2e/server.mjs [--port 8080] [--csp] [--root DIR]
//
// As a module: `const server = await startServer({ csp: true }); … server.url … await server.close();`

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The policy the package must work under: no 'unsafe-eval', no 'unsafe-inline'. */
export const STRICT_CSP = "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'";

/** Stricter still: nothing but same-origin for every kind of resource, styles included. */
export const LOCKED_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Starts serving. `mounts` maps URL prefixes (ending in `/`) to folders; the longest prefix wins.
 * `csp`: `true` for STRICT_CSP, or a policy string. `port` 0 picks a free one.
 * Resolves `{ url, port, close(), requests }` (`requests`: every `{ method, path, status, type }` served).
 */
export function startServer({
  mounts = { '/': path.join(REPO, 'www'), '/pkg/': path.join(REPO, 'pkg') },
  csp = false,
  port = 0,
  host = '127.0.0.1',
} = {}) {
  const policy = csp === true ? STRICT_CSP : csp || null;
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const requests = [];

  async function resolveFile(urlPath) {
    const prefix = prefixes.find((p) => urlPath.startsWith(p));
    if (!prefix) return null;
    const root = path.resolve(mounts[prefix]);
    const rest = urlPath.slice(prefix.length);
    const file = path.resolve(root, `.${path.sep}${rest}`);
    if (file !== root && !file.startsWith(root + path.sep)) return null; // no way out of the mount
    try {
      const info = await stat(file);
      if (info.isDirectory()) {
        const index = path.join(file, 'index.html');
        return (await stat(index)).isFile() ? index : null;
      }
      return info.isFile() ? file : null;
    } catch {
      return null;
    }
  }

  const server = createServer(async (req, res) => {
    let urlPath;
    try {
      urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      urlPath = null;
    }
    const record = (status, type = '') => requests.push({ method: req.method, path: urlPath ?? req.url, status, type });
    const headers = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
    if (policy) headers['Content-Security-Policy'] = policy;

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      record(405);
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    const file = urlPath && !urlPath.includes('\0') ? await resolveFile(urlPath) : null;
    if (!file) {
      record(404);
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    record(200, type);
    res.writeHead(200, { ...headers, 'Content-Type': type });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolve({
        url: `http://${host}:${actual}`,
        port: actual,
        requests,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}

// ---- command line ----------------------------------------------------------------------------------

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const value = (flag, fallback) => {
    const i = args.indexOf(flag);
    return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
  };
  const root = path.resolve(value('--root', path.join(REPO, 'www')));
  const server = await startServer({
    mounts: { '/': root, '/pkg/': path.join(REPO, 'pkg') },
    csp: args.includes('--csp'),
    port: Number(value('--port', '8080')),
  });
  console.log(`serving ${root} on ${server.url}/${args.includes('--csp') ? ' with a strict CSP' : ''} (Ctrl-C to stop)`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close().then(() => process.exit(0)));
}
