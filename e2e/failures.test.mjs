// End-to-end failure paths of live connections, in headless Chromium against the simulator. Each
// failure is produced by the simulator itself (its `X-Sim-Fault` header, added to the app's own
// request on its way out), so it comes through the real network stack: real statuses and vendor
// error bodies, a body cut off mid-way, malformed JSON, a response that never ends, a server with
// CORS off on another origin. Each test asserts the sentence the user sees, then that the app still
// works: the same action, without the fault, succeeds.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { launchChromium, watch } from './harness.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = process.env.DIST ?? join(ROOT, 'dist');
const SIM = process.env.SIM ?? join(ROOT, 'target/sim/sv-sim');
const EKRAN_LIST = '**/vendors/ekran/ekranapi/sessions*';
/** The per-request time limit the never-ending response runs into (config.json's `timeoutSeconds`). */
const TIMEOUT_S = 3;

const sims = [];
let base; // the app and its own simulator, one origin
let far; // a simulator on another origin with CORS off
let farCors; // a simulator on another origin that allows the app's origin
let browser;
let page;
let problems;

/** Starts a simulator and returns its origin. */
async function startSim(args) {
  const sim = spawn(SIM, ['--port', '0', '--ekran-sessions', '300', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  sims.push(sim);
  const [line] = await once(createInterface({ input: sim.stdout }), 'line');
  return line.match(/http:\/\/127\.0\.0\.1:\d+/)[0];
}

before(async () => {
  base = await startSim(['--dist', DIST]);
  far = await startSim([]);
  farCors = await startSim(['--cors-origin', base]);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  for (const sim of sims) sim.kill();
});

/** This suite's config.json: a short time limit, and connections on the app's origin and on others. */
const config = () => ({
  timeoutSeconds: TIMEOUT_S,
  connections: [
    { id: 'ekran', kind: 'ekran', label: 'Ekran', baseUrl: '/vendors/ekran', auth: 'token' },
    { id: 'aws', kind: 'veeam-aws', label: 'AWS', baseUrl: '/vendors/aws', auth: 'password' },
    { id: 'far', kind: 'ekran', label: 'Ekran elsewhere', baseUrl: `${far}/vendors/ekran`, auth: 'token' },
    { id: 'far-cors', kind: 'ekran', label: 'Ekran elsewhere with CORS', baseUrl: `${farCors}/vendors/ekran`, auth: 'token' },
  ],
});

beforeEach(async () => {
  page = await (await browser.newContext()).newPage();
  problems = watch(page);
  // Served here rather than written into dist/, which other suites share.
  await page.route(`${base}/config.json`, (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(config()) }));
});

afterEach(async () => page.context().close());

const card = (id) => page.locator(`[data-connection="${id}"]`);

/** The whole list's size, from its count line (the DOM holds only the rows in view). */
const listSize = async () => Number((await page.locator('.sl-count').textContent()).match(/^\d+/)[0]);

/** Sends the simulator fault `spec` with every request matching `pattern`; returns a request counter. */
async function fault(pattern, spec) {
  const seen = { count: 0 };
  await page.route(pattern, async (route) => {
    seen.count += 1;
    await route.continue({ headers: { ...route.request().headers(), 'x-sim-fault': spec } });
  });
  return seen;
}

async function useEkranToken(id = 'ekran') {
  await card(id).getByLabel('Token').fill('ekran-demo-token');
  await card(id).getByRole('button', { name: 'Use token' }).click();
}

/** Clicks "Open sessions" and returns the alert's text. */
async function failingOpen(id) {
  await card(id).getByRole('button', { name: 'Open sessions' }).click();
  const alert = card(id).getByRole('alert');
  await alert.waitFor();
  return (await alert.locator('p').first().textContent()).trim();
}

/** The app still works: without the fault, the same button opens the session list. */
async function stillWorks(id = 'ekran') {
  await page.unrouteAll({ behavior: 'wait' });
  await page.route(`${base}/config.json`, (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(config()) }));
  await card(id).getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  assert.ok((await listSize()) > 100);
}

const expected = (statuses) => (p) => !new RegExp(`^HTTP (${statuses.join('|')}) for .*/ekranapi/sessions`).test(p);

for (const [status, sentence, attempts] of [
  [403, 'This account has no permission for that. Ekran System says: “Access is denied.”', 1],
  // 2: the paged POST, then the documented whole-list GET that a server without the POST has.
  [404, "The server has no such resource: check the connection's base URL. Ekran System says: “The requested resource was not found.”", 2],
  [408, 'The server did not answer in time (HTTP 408: timed out). Ekran System says: “The request timed out.”', 3],
  [429, 'The server is busy (too many requests). Wait a moment and try again. Ekran System says: “Too many requests.”', 3],
  [500, 'The server failed (HTTP 500). Ekran System says: “An internal server error occurred.”', 1],
  [503, 'The server is unavailable at the moment. Ekran System says: “The service is unavailable.”', 3],
]) {
  test(`HTTP ${status}: the user reads “${sentence.split('.')[0]}”, and the next try works`, async () => {
    await page.goto(`${base}/`);
    await useEkranToken();
    const seen = await fault(EKRAN_LIST, `error=${status}`);
    assert.equal(await failingOpen('ekran'), sentence);
    assert.equal(seen.count, attempts, status === 404 ? 'not retried; the GET fallback is tried once' : attempts > 1 ? 'a transient status is retried, then reported' : 'not retried');
    // The vendor's own body is one click away.
    const raw = card('ekran').getByRole('alert').locator('details.raw');
    await raw.locator('summary').click();
    assert.equal(JSON.parse(await raw.locator('pre').textContent()).status, status);
    await stillWorks();
    assert.deepEqual(problems.filter(expected([status])), []);
  });
}

test('a body cut off mid-way is named as such (after retries), and the next try works', async () => {
  await page.goto(`${base}/`);
  await useEkranToken();
  const seen = await fault(EKRAN_LIST, 'cut');
  assert.equal(
    await failingOpen('ekran'),
    "The server's answer was cut off: the connection closed before the whole response arrived. Try again.",
  );
  assert.equal(seen.count, 3, 'a cut-off GET is retried');
  await stillWorks();
  assert.deepEqual(problems, []);
});

test('malformed JSON is "something unreadable" with the reader\'s reason and the body one click away', async () => {
  await page.goto(`${base}/`);
  await useEkranToken();
  await fault(EKRAN_LIST, 'malformed');
  const text = await failingOpen('ekran');
  assert.match(text, /^The server sent something unreadable: This JSON is broken at line 1, column \d+: expected `:`\.$/);
  assert.doesNotMatch(text, /says/, 'the reader\'s finding is not put in the vendor\'s mouth');
  const raw = card('ekran').getByRole('alert').locator('details.raw');
  await raw.locator('summary').click();
  assert.match(await raw.locator('pre').textContent(), /^\{"pageIndex"=0,/, 'the first ":" of the paged answer turned into "="');
  await stillWorks();
  assert.deepEqual(problems, []);
});

test(`a never-ending response is stopped by the ${TIMEOUT_S} s time limit (config.json timeoutSeconds), and the next try works`, async () => {
  await page.goto(`${base}/`);
  await useEkranToken();
  const seen = await fault(EKRAN_LIST, 'hang');
  const started = Date.now();
  const text = await failingOpen('ekran');
  const waited = (Date.now() - started) / 1000;
  assert.equal(
    text,
    `Ekran System sent no complete answer within ${TIMEOUT_S} s, so the request was stopped (timed out). Try again; if it keeps happening, the server is overloaded or a proxy holds the connection.`,
  );
  assert.ok(waited >= TIMEOUT_S - 0.5 && waited < TIMEOUT_S + 4, `stopped after ${waited} s`);
  assert.equal(seen.count, 1, 'our own time limit is not retried: the user already waited');
  await stillWorks();
  assert.deepEqual(problems, []);
});

test('a failing log-on (HTTP 500 from the token endpoint) is named, and logging on again works', async () => {
  await page.goto(`${base}/`);
  const seen = await fault('**/vendors/aws/api/v1/token', 'error=500');
  await card('aws').getByLabel('User name').fill('admin');
  await card('aws').getByLabel('Password').fill('admin');
  await card('aws').getByRole('button', { name: 'Log on' }).click();
  const alert = card('aws').getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /^The server failed \(HTTP 500\)\. Veeam Backup for AWS says: “/);
  assert.equal(seen.count, 1, 'a log-on is never repeated');
  await page.unroute('**/vendors/aws/api/v1/token');
  await card('aws').getByLabel('Password').fill('admin');
  await card('aws').getByRole('button', { name: 'Log on' }).click();
  await card('aws').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  assert.deepEqual(problems.filter((p) => !/^HTTP 500 for .*\/api\/v1\/token$/.test(p)), []);
});

test('CORS refused: a server on another origin without CORS is named as a blocked cross-origin call, pointing to the proxy section', async () => {
  await page.goto(`${base}/`);
  await useEkranToken('far');
  const text = await failingOpen('far');
  assert.equal(
    text,
    "The browser blocked a cross-origin call: Ekran System sends no CORS headers that allow this page's origin. " +
      'Serve the app and the API from one origin through a reverse proxy (README: “Deploying behind a reverse proxy”).',
  );
  // The same API on another origin that does allow this one works, and so does the app's own.
  await useEkranToken('far-cors');
  await card('far-cors').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  await page.getByRole('link', { name: 'Session Viewer' }).click();
  await useEkranToken('ekran');
  await stillWorks();
  // Chromium reports the refusal in the console itself; that line is the browser's, not the app's.
  assert.deepEqual(problems.filter((p) => !/blocked by CORS policy/.test(p)), []);
});
