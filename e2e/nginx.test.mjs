// The README's reverse-proxy path, for real: Debian's nginx runs deploy/nginx.conf (the file the
// README shows) and deploy/security-headers.conf, with only the listen addresses, paths and the
// `proxy_pass` targets rewritten, serving a copy of dist/ over TLS with a certificate this test
// makes (openssl), and proxying each vendor's location over TLS — the upstream's certificate
// verified — to the simulator (started WITHOUT --dist, so nginx serves every static file). Checks
// the security headers, then Chromium runs one flow per vendor through nginx under its CSP.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { launchChromium, watch } from './harness.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = process.env.DIST ?? join(ROOT, 'dist');
const SIM = process.env.SIM ?? join(ROOT, 'target/sim/sv-sim');
const NGINX = process.env.NGINX ?? '/usr/sbin/nginx';
const OPENSSL = process.env.OPENSSL ?? 'openssl';
const AWS_SEED = '90faa259-fbf6-493a-b492-e59e1cfbe3a6';
const VENDORS = {
  em: 'https://em.example:9398/',
  aws: 'https://vba.example:11005/',
  m365: 'https://vbo.example:4443/',
  pam: 'https://pam.example/',
  ekran: 'https://ekran.example/',
};
const HEADERS_INCLUDE = 'include /etc/nginx/snippets/session-viewer-headers.conf;';
const APP_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self'; frame-ancestors https://portal.example; base-uri 'self'; form-action 'self'";

let sim;
let nginx;
let nginxLog = '';
let prefix;
let base; // nginx's https origin: the app and the APIs
let plainBase; // nginx's http origin, which only redirects
let ca; // the test CA's certificate (PEM), which signed nginx's and the upstream's
let browser;
let page;
let problems;

/** A free loopback port (closed again at once, for nginx to take). */
async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/** A GET through nginx (https with the test CA, or plain http): status, headers and body. */
function get(url, headers = {}) {
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((done, fail) => {
    send(url, { ca, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    })
      .on('error', fail)
      .end();
  });
}

/** A test CA, a certificate it signs for localhost and 127.0.0.1 (nginx's own, and the upstream's
 * TLS front), and a self-signed one for "localhost" that no trusted CA signed. */
function makeCertificates(dir) {
  const ssl = (...args) => execFileSync(OPENSSL, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl('req', '-x509', ...key, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Session Viewer test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
  ssl('req', '-new', ...key, '-keyout', 'site.key', '-out', 'site.csr', '-subj', '/CN=localhost');
  execFileSync('sh', ['-c', 'printf "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n" > site.ext'], { cwd: dir });
  ssl('x509', '-req', '-in', 'site.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '2', '-days', '2', '-extfile', 'site.ext', '-out', 'site.pem');
  ssl('req', '-x509', ...key, '-keyout', 'rogue.key', '-out', 'rogue.pem', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost');
  return { ca: join(dir, 'ca.pem'), cert: join(dir, 'site.pem'), key: join(dir, 'site.key'), rogue: join(dir, 'rogue.pem'), rogueKey: join(dir, 'rogue.key') };
}

/** deploy/nginx.conf, pointed at this machine: every rewrite must hit, or the file changed shape. */
function localise(site, { port, httpPort, root, upstream, untrusted, certs, headers }) {
  const replace = (text, from, to) => {
    assert.ok(text.includes(from), `deploy/nginx.conf still has “${from}”`);
    return text.replace(from, to);
  };
  let out = replace(site, 'listen 80;', `listen 127.0.0.1:${httpPort};`);
  out = replace(out, 'listen 443 ssl http2;', `listen 127.0.0.1:${port} ssl http2;`);
  out = replace(out, 'ssl_certificate     /etc/ssl/certs/sessions.example.pem;', `ssl_certificate ${certs.cert};`);
  out = replace(out, 'ssl_certificate_key /etc/ssl/private/sessions.example.key;', `ssl_certificate_key ${certs.key};`);
  out = replace(out, 'proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;', `proxy_ssl_trusted_certificate ${certs.ca};`);
  out = replace(out, 'root /srv/session-viewer;', `root ${root};`);
  // Every location includes the headers (the index.html fallback too).
  assert.equal(out.split(HEADERS_INCLUDE).length - 1, (out.match(/^\s*location /gm) ?? []).length, 'every location includes the headers');
  out = out.replaceAll(HEADERS_INCLUDE, `include ${headers};`);
  for (const [vendor, url] of Object.entries(VENDORS)) {
    out = replace(out, `proxy_pass ${url};`, `proxy_pass ${upstream}/vendors/${vendor}/;`);
  }
  // The test's own addition: one more vendor location, to an upstream whose certificate no
  // trusted CA signed (the file's proxy_ssl_* settings apply to it as to the others).
  return replace(
    out,
    'location /vendors/ekran/ {',
    `location /vendors/untrusted/ {\n        include ${headers};\n        proxy_pass ${untrusted}/vendors/ekran/;\n    }\n    location /vendors/ekran/ {`,
  );
}

before(async () => {
  prefix = await mkdtemp(join(tmpdir(), 'sv-nginx-'));
  const root = join(prefix, 'www');
  await cp(DIST, root, { recursive: true });
  await rm(join(root, 'config.json'), { force: true });
  // The simulator writes the demo's config.json (relative baseUrls) into nginx's root; it serves
  // only the APIs.
  sim = spawn(SIM, ['--port', '0', '--write-config', join(root, 'config.json'), '--ekran-sessions', '300'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = await once(createInterface({ input: sim.stdout }), 'line');
  const upstream = line.match(/http:\/\/127\.0\.0\.1:\d+/)[0];

  const certs = makeCertificates(prefix);
  ca = await readFile(certs.ca);
  const [port, httpPort, tlsPort, roguePort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const site = localise(await readFile(join(ROOT, 'deploy/nginx.conf'), 'utf8'), {
    port,
    httpPort,
    root,
    upstream: `https://localhost:${tlsPort}`,
    untrusted: `https://localhost:${roguePort}`,
    certs,
    headers: join(ROOT, 'deploy/security-headers.conf'),
  });
  await writeFile(join(prefix, 'site.conf'), site);
  for (const d of ['logs', 'tmp']) await mkdir(join(prefix, d));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${prefix}/tmp/${t};`).join('\n  ');
  await writeFile(
    join(prefix, 'nginx.conf'),
    `daemon off;
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log stderr warn;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  ${temp}
  include ${prefix}/site.conf;
  # The vendors' TLS: the simulator behind a certificate the test CA signed, and behind one it did not.
  server {
    listen 127.0.0.1:${tlsPort} ssl;
    ssl_certificate ${certs.cert};
    ssl_certificate_key ${certs.key};
    location / { proxy_pass ${upstream}; }
  }
  server {
    listen 127.0.0.1:${roguePort} ssl;
    ssl_certificate ${certs.rogue};
    ssl_certificate_key ${certs.rogueKey};
    location / { proxy_pass ${upstream}; }
  }
}
`,
  );
  nginx = spawn(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', 'stderr'], { stdio: ['ignore', 'ignore', 'pipe'] });
  nginx.stderr.on('data', (d) => (nginxLog += d));
  base = `https://127.0.0.1:${port}`;
  plainBase = `http://127.0.0.1:${httpPort}`;
  for (let i = 0; ; i++) {
    try {
      if ((await get(`${base}/`)).status === 200) break;
    } catch {}
    assert.ok(i < 100 && nginx.exitCode === null, `nginx did not start: ${nginxLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (nginx && nginx.exitCode === null) {
    nginx.kill('SIGQUIT');
    await once(nginx, 'exit');
  }
  sim?.kill();
  if (prefix) await rm(prefix, { recursive: true, force: true });
});

beforeEach(async () => {
  // nginx's certificate is the test CA's, which Chromium does not know: TLS all the same.
  page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
  problems = watch(page);
  page.on('request', (r) => {
    const { protocol, origin } = new URL(r.url());
    if (protocol.startsWith('http') && origin !== base) problems.push(`request not through nginx: ${r.url()}`);
  });
});

afterEach(async () => page.context().close());

const card = (id) => page.locator(`[data-connection="${id}"]`);

/** The whole list's size, from its count line (the DOM holds only the rows in view). */
const listSize = async () => Number((await page.locator('.sl-count').textContent()).match(/^\d+/)[0]);

async function logOn(id) {
  await card(id).getByLabel('User name').fill('admin');
  await card(id).getByLabel('Password').fill('admin');
  await card(id).getByRole('button', { name: 'Log on' }).click();
}

test('the README shows deploy/nginx.conf and deploy/security-headers.conf verbatim', async () => {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  for (const name of ['nginx.conf', 'security-headers.conf']) {
    const file = await readFile(join(ROOT, 'deploy', name), 'utf8');
    assert.ok(readme.includes('```nginx\n' + file + '```'), `README.md embeds deploy/${name} as it is`);
  }
});

test('through TLS, every answer has the security headers: the app, a deep link, files, and vendor answers sandboxed', async () => {
  const wasmFile = (await readFile(join(DIST, 'index.html'), 'utf8')).match(/[\w-]+_bg\.wasm/)[0];
  const app = (r, what) => {
    assert.equal(r.status, 200, what);
    assert.equal(r.headers['content-security-policy'], APP_CSP, what);
    assert.equal(r.headers['x-content-type-options'], 'nosniff', what);
    assert.equal(r.headers['referrer-policy'], 'no-referrer', what);
    assert.equal(r.headers['strict-transport-security'], 'max-age=31536000', what);
  };
  for (const path of ['/', '/index.html', '/log/sample-veeam-aws', '/sessions/sample-ekran?q=user%3Ajen', '/config.json', `/${wasmFile}`]) {
    app(await get(`${base}${path}`), path);
  }
  // The deep link is answered with index.html, and both say so with no-cache.
  const deep = await get(`${base}/log/sample-veeam-aws`);
  assert.match(deep.body, /<template[^>]*\sid="?sv-boot/);
  assert.equal(deep.headers['cache-control'], 'no-cache');
  // Vendor answers, a refusal and a list: nothing in them may run as this origin.
  const vendor = (r, what, status) => {
    assert.equal(r.status, status, what);
    assert.equal(r.headers['content-security-policy'], "default-src 'none'; sandbox", what);
    assert.equal(r.headers['x-content-type-options'], 'nosniff', what);
    assert.equal(r.headers['strict-transport-security'], 'max-age=31536000', what);
  };
  vendor(await get(`${base}/vendors/em/api/logonSessions`), 'EM refusal', 401);
  vendor(await get(`${base}/vendors/ekran/ekranapi/sessions`, { Authorization: 'Bearer ekran-demo-token' }), 'Ekran list', 200);
  // An upstream whose certificate no trusted CA signed gets nothing sent to it (nginx refuses
  // the handshake: 502), while the verified ones above answered.
  vendor(await get(`${base}/vendors/untrusted/ekranapi/sessions`, { Authorization: 'Bearer ekran-demo-token' }), 'untrusted upstream', 502);
  for (let i = 0; i < 40 && !/upstream SSL certificate verify error/.test(nginxLog); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(nginxLog, /upstream SSL certificate verify error/);
  // Plain http only redirects to https.
  const redirect = await get(`${plainBase}/log/sample-veeam-aws?q=x`);
  assert.equal(redirect.status, 301);
  assert.equal(redirect.headers.location, 'https://127.0.0.1/log/sample-veeam-aws?q=x');
});

test('nginx serves the app, its files with their types, and deep links (SPA fallback)', async () => {
  const wasm = await get(`${base}/${(await readFile(join(DIST, 'index.html'), 'utf8')).match(/[\w-]+_bg\.wasm/)[0]}`);
  assert.equal(wasm.headers['content-type'], 'application/wasm');
  const index = await get(`${base}/index.html`);
  assert.equal(index.headers['cache-control'], 'no-cache');
  await page.goto(`${base}/sessions/sample-ekran`);
  await page.locator('[role=row][data-session-id]').first().waitFor();
  assert.equal(await page.locator('[role=row][data-session-id]').count(), 2);
  await page.goto(`${base}/log/sample-veeam-aws`);
  await page.locator('tr.tl-row').first().waitFor();
  assert.deepEqual(problems, []);
});

test('Enterprise Manager through nginx: no WWW-Authenticate reaches the browser; log on and list', async () => {
  const unauthorised = await get(`${base}/vendors/em/api/logonSessions`);
  assert.equal(unauthorised.status, 401);
  assert.equal(unauthorised.headers['www-authenticate'], undefined, 'proxy_hide_header WWW-Authenticate');
  await page.goto(`${base}/`);
  await logOn('sim-em');
  await card('sim-em').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('article.logon').first().waitFor({ state: 'attached' });
  assert.ok((await page.locator('article.logon').count()) >= 2);
  assert.deepEqual(problems, []);
});

test('Veeam Backup for AWS through nginx: log on, list, open a session log', async () => {
  await page.goto(`${base}/`);
  await logOn('sim-aws');
  await card('sim-aws').getByRole('button', { name: 'Open sessions' }).click();
  // Narrow the list to that session, so that its row is in view.
  await page.getByLabel('Filter', { exact: true }).fill(`id:="${AWS_SEED}"`);
  await page.waitForFunction(() => /^1 of /.test(document.querySelector('.sl-count')?.textContent ?? ''));
  await page.getByRole('button', { name: `Open the log of session ${AWS_SEED}` }).click();
  await page.locator('tr.tl-row').first().waitFor();
  assert.deepEqual(await page.locator('tr.tl-row').evaluateAll((t) => t.map((r) => r.dataset.durationMs)), ['0', '687', '31', '0', '0']);
  assert.deepEqual(problems, []);
});

test('Veeam Backup for Microsoft 365 through nginx: log on, list job sessions, open log items', async () => {
  await page.goto(`${base}/`);
  await logOn('sim-m365');
  await card('sim-m365').getByRole('button', { name: 'Open sessions' }).click();
  const finished = page.locator('[role=row][data-status="success"], [role=row][data-status="warning"], [role=row][data-status="failed"]').first();
  await finished.getByRole('button', { name: /^Open the log of session / }).click();
  await page.locator('tr.tl-row').first().waitFor();
  assert.ok((await page.locator('tr.tl-row').count()) > 0);
  assert.deepEqual(problems, []);
});

test('PAM (browser sign-in) and Ekran (token) through nginx', async () => {
  await page.goto(`${base}/vendors/pam/sim/login`);
  await page.goto(`${base}/`);
  await card('sim-pam').getByRole('button', { name: 'Open sessions' }).click();
  await page.getByRole('heading', { level: 2, name: 'FIMCITONEBOXAD\\Jen' }).waitFor();
  await page.getByRole('link', { name: 'Session Viewer' }).click();
  await card('sim-ekran').getByLabel('Token').fill('ekran-demo-token');
  await card('sim-ekran').getByRole('button', { name: 'Use token' }).click();
  await card('sim-ekran').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  assert.ok((await listSize()) > 100);
  assert.deepEqual(problems, []);
});
