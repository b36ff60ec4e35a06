// The README's reverse-proxy path, for real: Debian's nginx runs deploy/nginx.conf (the file the
// README shows) with only `listen`, `root` and the `proxy_pass` targets rewritten, serving a copy of
// dist/ and proxying each vendor's location to the simulator (started WITHOUT --dist, so nginx
// serves every static file). Chromium then runs one flow per vendor through nginx.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { launchChromium, watch } from './harness.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = process.env.DIST ?? join(ROOT, 'dist');
const SIM = process.env.SIM ?? join(ROOT, 'target/sim/sv-sim');
const NGINX = process.env.NGINX ?? '/usr/sbin/nginx';
const AWS_SEED = '90faa259-fbf6-493a-b492-e59e1cfbe3a6';
const VENDORS = {
  em: 'https://em.example:9398/',
  aws: 'https://vba.example:11005/',
  m365: 'https://vbo.example:4443/',
  pam: 'https://pam.example/',
  ekran: 'https://ekran.example/',
};

let sim;
let nginx;
let nginxLog = '';
let prefix;
let base; // nginx's origin: the app and the APIs
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

/** deploy/nginx.conf, pointed at this machine: every rewrite must hit, or the file changed shape. */
function localise(site, { port, root, upstream }) {
  const replace = (text, from, to) => {
    assert.ok(text.includes(from), `deploy/nginx.conf still has “${from}”`);
    return text.replace(from, to);
  };
  let out = replace(site, 'listen 80;', `listen 127.0.0.1:${port};`);
  out = replace(out, 'root /srv/session-viewer;', `root ${root};`);
  for (const [vendor, url] of Object.entries(VENDORS)) {
    out = replace(out, `proxy_pass ${url};`, `proxy_pass ${upstream}/vendors/${vendor}/;`);
  }
  return out;
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

  const port = await freePort();
  const site = localise(await readFile(join(ROOT, 'deploy/nginx.conf'), 'utf8'), { port, root, upstream });
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
}
`,
  );
  nginx = spawn(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', 'stderr'], { stdio: ['ignore', 'ignore', 'pipe'] });
  nginx.stderr.on('data', (d) => (nginxLog += d));
  base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/`)).ok) break;
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
  page = await (await browser.newContext()).newPage();
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

test('the README shows deploy/nginx.conf verbatim', async () => {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const file = await readFile(join(ROOT, 'deploy/nginx.conf'), 'utf8');
  assert.ok(readme.includes('```nginx\n' + file + '```'), 'README.md embeds deploy/nginx.conf as it is');
});

test('nginx serves the app, its files with their types, and deep links (SPA fallback)', async () => {
  const wasm = await fetch(`${base}/${(await readFile(join(DIST, 'index.html'), 'utf8')).match(/[\w-]+_bg\.wasm/)[0]}`);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  const index = await fetch(`${base}/index.html`);
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  await page.goto(`${base}/sessions/sample-ekran`);
  await page.locator('[role=row][data-session-id]').first().waitFor();
  assert.equal(await page.locator('[role=row][data-session-id]').count(), 2);
  await page.goto(`${base}/log/sample-veeam-aws`);
  await page.locator('tr.tl-row').first().waitFor();
  assert.deepEqual(problems, []);
});

test('Enterprise Manager through nginx: no WWW-Authenticate reaches the browser; log on and list', async () => {
  const unauthorised = await fetch(`${base}/vendors/em/api/logonSessions`);
  assert.equal(unauthorised.status, 401);
  assert.equal(unauthorised.headers.get('www-authenticate'), null, 'proxy_hide_header WWW-Authenticate');
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
