// A static file server for a built dist/ on loopback, with the SPA fallback a production host is
// configured with (unknown paths that are not files get index.html), so deep links can be tested.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
};

/** The Content-Security-Policy of SPEC §3.7, as deploy/security-headers.conf sends it, with the
 * test's loopback origins as the vendor origins (a suite may call a simulator on another port) and
 * as the portal origins. Every page a suite opens is served with it. */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self' http://127.0.0.1:*",
  "frame-ancestors 'self' http://127.0.0.1:* http://localhost:*",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** Serves `root` on 127.0.0.1 at an ephemeral port; resolves to { url, close }. With
 * `{ fallbackAll: true }` every missing path gets index.html, files with an extension too (an
 * nginx `try_files $uri /index.html`). */
export async function serveDist(root, { fallbackAll = false } = {}) {
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      const file = normalize(join(root, path));
      if (!file.startsWith(normalize(root + sep)) && file !== normalize(root)) {
        res.writeHead(403).end();
        return;
      }
      let target = file;
      const info = await stat(target).catch(() => null);
      if (!info || info.isDirectory()) {
        // Missing files with an extension are real 404s; everything else is a route.
        if (!info && extname(path) && !fallbackAll) {
          res.writeHead(404).end('not found');
          return;
        }
        target = join(root, 'index.html');
      }
      const body = await readFile(target);
      res.writeHead(200, {
        'content-type': TYPES[extname(target)] ?? 'application/octet-stream',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
      });
      res.end(body);
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

// `node e2e/server.mjs dist` serves a build by hand.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { url } = await serveDist(process.argv[2] ?? 'dist');
  console.log(`Serving ${process.argv[2] ?? 'dist'} at ${url}/`);
}
