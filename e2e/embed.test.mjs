// Embedding in a portal (SPEC §3.6, README "Embedding in a portal"): the release build, served by
// the simulator at http://127.0.0.1:PORT1, inside an iframe of the example host page
// (examples/portal/) served at http://127.0.0.1:PORT2 — another origin (of the same site, so that
// Chromium gives the frame its storage, as for sessions.portal.example in portal.example), listed
// in config.json's embed.allowedParentOrigins. The same host page served at http://localhost:PORT3
// (a third origin, not listed, and another site) sends the same messages and is ignored, as is a
// sibling frame of the allowed origin.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { launchChromium, startSim, watch } from './harness.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = process.env.DIST ?? join(ROOT, 'dist');
const SIM = process.env.SIM ?? join(ROOT, 'target/sim/sv-sim');
const PORTAL = join(ROOT, 'examples/portal');
const TOKEN = 'ekran-demo-token';
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

let dist;
let browser;
let sim;
let app;
let allowed; // http://127.0.0.1:PORT2
let third; // http://localhost:PORT3
const servers = [];
let page;
let problems;

/** Serves examples/portal/ under a strict CSP (the host page has no inline script or style) on
 * `host`s at one port; resolves that port. */
async function servePortal(hosts) {
  let port = 0;
  for (const host of hosts) {
    const server = createServer(async (req, res) => {
      const path = new URL(req.url, 'http://x').pathname;
      const name = path === '/' ? 'index.html' : path.slice(1);
      if (!/^[\w.-]+$/.test(name)) return res.writeHead(404).end();
      const body = await readFile(join(PORTAL, name)).catch(() => null);
      if (!body) return res.writeHead(404).end();
      res.writeHead(200, {
        'content-type': TYPES[extname(name)] ?? 'application/octet-stream',
        'content-security-policy': `default-src 'self'; frame-src 'self' ${app}`,
      });
      res.end(body);
    });
    // localhost may resolve to ::1 or 127.0.0.1: listen on both, at one port.
    const ok = await new Promise((done) => {
      server.once('error', () => done(false));
      server.listen(port, host, () => done(true));
    });
    if (!ok) continue;
    port = server.address().port;
    servers.push(server);
  }
  return port;
}

before(async () => {
  browser = await launchChromium();
  dist = await mkdtemp(join(tmpdir(), 'sv-embed-'));
  await cp(DIST, dist, { recursive: true });
  // The app's origin is only known once the simulator listens: start it, then write config.json
  // (read by the app at start, after this).
  ({ process: sim, base: app } = await startSim(SIM, ['--dist', dist, '--pam-auth', 'off']));
  allowed = `http://127.0.0.1:${await servePortal(['127.0.0.1'])}`;
  third = `http://localhost:${await servePortal(['127.0.0.1', '::1'])}`;
  const config = {
    connections: [{ id: 'ekran', kind: 'ekran', label: 'Ekran', baseUrl: '/vendors/ekran', auth: 'token' }],
    // Loopback http:// for the test; a real portal is https://host[:port].
    embed: { allowedParentOrigins: [allowed] },
  };
  await writeFile(join(dist, 'config.json'), JSON.stringify(config));
});

after(async () => {
  await browser?.close();
  sim?.kill();
  for (const s of servers) s.close();
  await rm(dist, { recursive: true, force: true });
});

beforeEach(async () => {
  page = await (await browser.newContext()).newPage();
  problems = watch(page);
});

afterEach(async () => {
  // The third origin's page is on localhost, on purpose; everything else stays on 127.0.0.1.
  const left = problems.filter((p) => !p.startsWith(`request off loopback: ${third}/`));
  await page.context().close();
  assert.deepEqual(left, []);
});

/** The host page on `origin`, embedding the app at `route`; resolves the app's frame. */
async function portal(origin, route = '') {
  await page.goto(`${origin}/?app=${encodeURIComponent(`${app}/`)}${route}`);
  const element = await page.waitForSelector('#viewer');
  const frame = await element.contentFrame();
  await frame.waitForSelector('#main');
  return frame;
}

/** The messages the host page heard, as objects, in order. */
const heard = () => page.$$eval('#heard li', (lis) => lis.map((li) => JSON.parse(li.textContent)));
const heardType = (type) => page.waitForSelector(`#heard li[data-type="${type}"]`);
/** Waits for the `n`th READY: the app (re)started and answered the handshake. */
const readies = (n) => page.waitForFunction((n) => document.querySelectorAll('#heard li[data-type="READY"]').length >= n, n);
const send = (type, fields) => page.evaluate(([t, f]) => window.portal.send(t, f), [type, fields]);

test('the allowed portal: handshake, a payload, a token, the theme, and where the user goes', async () => {
  const frame = await portal(allowed);
  // PING is answered with PONG (the version), then READY with where the frame is.
  await heardType('READY');
  const [pong, ready] = await heard();
  assert.equal(pong.type, 'PONG');
  assert.equal(pong.version, 1);
  assert.equal(ready.type, 'READY');
  assert.equal(ready.path, '/');
  // The query without its `?`: here the frame's own address, as the portal wrote it.
  assert.equal(ready.query, 'embed=1&theme=system');
  // Embed mode: the app's own header and navigation are gone; its main landmark stays.
  assert.equal(await frame.locator('.app-header').isVisible(), false);
  assert.equal(await frame.evaluate(() => document.documentElement.classList.contains('embedded')), true);

  // A payload, as bytes with a file name, through the same path as "Open file".
  const sample = await readFile(join(ROOT, 'public/samples/ekran-sessions.json'));
  const opened = await page.evaluate(async (text) => {
    const bytes = new TextEncoder().encode(text);
    return window.portal.send('OPEN', { name: 'from-the-portal.json', data: bytes.buffer });
  }, sample.toString());
  assert.equal(opened.type, 'DONE');
  await frame.locator('[role=row][data-session-id]').first().waitFor();
  assert.match(new URL(frame.url()).pathname, /^\/sessions\/file-0$/);
  // …and as text.
  await send('OPEN', { name: 'again.json', data: sample.toString() });
  await frame.waitForURL(/\/sessions\/file-1$/);
  // The portal heard each navigation, and keeps the route in its own address.
  await page.waitForFunction(() => location.hash === '#/sessions/file-1');
  const navigated = (await heard()).filter((m) => m.type === 'NAVIGATED').map((m) => m.path);
  assert.deepEqual(navigated.slice(-2), ['/sessions/file-0', '/sessions/file-1']);
  // A filter typed in the frame is a navigation with its query.
  await frame.getByLabel('Filter', { exact: true }).fill('status:failed');
  await page.waitForFunction(() => location.hash.startsWith('#/sessions/file-1?') && location.hash.includes('status'));

  // A payload that is not one: ERROR, with the reader's own words.
  await assert.rejects(send('OPEN', { name: 'bad.json', data: '{"nothing": 1}' }), /bad.json|recogn|expected/i);

  // A token for the token connection: signed in, kept in memory only.
  assert.equal((await send('TOKEN', { connection: 'ekran', token: TOKEN })).type, 'DONE');
  assert.equal((await send('OPEN_CONNECTION', { connection: 'ekran' })).type, 'DONE');
  await frame.waitForURL(/\/sessions\/live-ekran$/);
  await frame.locator('[role=row][data-session-id]').first().waitFor();
  const stored = await frame.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + location.href);
  assert.ok(!stored.includes(TOKEN), stored);
  assert.ok(!page.url().includes(TOKEN));
  // A reload of the frame forgets the token: it was never stored.
  await frame.goto(`${app}/`);
  await frame.locator('[data-connection="ekran"]').getByLabel('Token').waitFor();
  await readies(2);

  // The theme, by message: on <html>, and the page's colours follow.
  const background = () => frame.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal((await send('THEME', { theme: 'dark' })).type, 'DONE');
  assert.equal(await frame.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.equal(await background(), 'rgb(13, 17, 23)');
  await send('THEME', { theme: 'light' });
  assert.equal(await background(), 'rgb(255, 255, 255)');

  // Refusals, in words: an unknown connection, a version from the future.
  await assert.rejects(send('TOKEN', { connection: 'nope', token: 'x' }), /no connection nope/);
  await assert.rejects(
    page.evaluate(() => window.portal.send('THEME', { theme: 'dark', sv: 2 })),
    /version 1 of the protocol only/,
  );
});

test('theme and embed mode from the address, kept for the session across a reload', async () => {
  await page.emulateMedia({ colorScheme: 'light' });
  const frame = await portal(allowed);
  await readies(1);
  await page.selectOption('#theme', 'dark');
  await heardType('DONE');
  assert.equal(await frame.evaluate(() => document.documentElement.dataset.theme), 'dark');
  // The frame's own reload (no embed= nor theme= in its address any more) keeps both.
  await frame.goto(`${app}/sessions/sample-ekran`);
  await frame.locator('[role=row][data-session-id]').first().waitFor();
  assert.equal(await frame.locator('.app-header').isVisible(), false);
  assert.equal(await frame.evaluate(() => document.documentElement.dataset.theme), 'dark');
  // Opened straight (not framed) with ?theme=dark&embed=1: the same, without any portal.
  const own = await (await browser.newContext()).newPage();
  await own.goto(`${app}/?embed=1&theme=dark`);
  await own.locator('#main').waitFor();
  assert.equal(await own.locator('.app-header').isVisible(), false);
  assert.equal(await own.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(13, 17, 23)');
  await own.context().close();
});

test('a portal deep-links: the route in its address opens the frame there', async () => {
  const frame = await portal(allowed, '#/sessions/sample-ekran?q=user%3A61');
  await frame.locator('[role=row][data-session-id]').first().waitFor();
  assert.equal(new URL(frame.url()).pathname, '/sessions/sample-ekran');
  assert.equal(new URL(frame.url()).searchParams.get('q'), 'user:61');
  assert.equal(await frame.locator('[role=row][data-session-id]').count(), 1);
  await heardType('READY');
  const ready = (await heard()).find((m) => m.type === 'READY');
  assert.equal(ready.path, '/sessions/sample-ekran');
  assert.match(ready.query, /q=user/);
});

test('a third origin, and a sibling frame of the allowed one, are not heard', async () => {
  const frame = await portal(third);
  const sample = (await readFile(join(ROOT, 'public/samples/ekran-sessions.json'))).toString();
  // It pings for a second: no answer, and no embed mode.
  await page.waitForTimeout(1500);
  assert.deepEqual(await heard(), []);
  for (const [type, fields] of [
    ['OPEN', { name: 'x.json', data: sample }],
    ['TOKEN', { connection: 'ekran', token: TOKEN }],
    ['THEME', { theme: 'dark' }],
    ['OPEN_CONNECTION', { connection: 'ekran' }],
  ]) {
    await page.evaluate(([t, f]) => { window.portal.send(t, f); }, [type, fields]);
  }
  await page.waitForTimeout(1000);
  assert.equal(new URL(frame.url()).pathname, '/');
  assert.equal(await frame.evaluate(() => document.documentElement.dataset.theme ?? null), null);
  assert.equal(await frame.locator('[data-connection="ekran"]').getByLabel('Token').isVisible(), true);
  assert.deepEqual(await heard(), []);

  // On the allowed origin, a sibling frame (same origin, not the parent) is not heard either.
  const allowedFrame = await portal(allowed);
  await heardType('READY');
  await page.evaluate(() => {
    const sibling = document.createElement('iframe');
    sibling.src = '/portal.css';
    sibling.id = 'sibling';
    document.body.append(sibling);
    return new Promise((done) => sibling.addEventListener('load', done));
  });
  const sibling = await (await page.$('#sibling')).contentFrame();
  await sibling.evaluate(([origin]) => {
    parent.frames[0].postMessage({ sv: 1, type: 'THEME', theme: 'dark' }, origin);
  }, [app]);
  await page.waitForTimeout(500);
  assert.equal(await allowedFrame.evaluate(() => document.documentElement.dataset.theme ?? null), null);
});
