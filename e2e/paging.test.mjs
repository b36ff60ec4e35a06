// Automatic paging of live session lists, cancelling it, and cancelling requests when the user
// leaves the page, in headless Chromium against the simulator with lists several pages long.
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
const AWS_PAGES = '**/vendors/aws/api/v1/sessions?*';

let sim;
let base;
let browser;
let page;
let problems;
let awsTotal;
let m365Total;
let ekranTotal;

before(async () => {
  sim = spawn(SIM, ['--port', '0', '--dist', DIST, '--aws-sessions', '2300', '--m365-days', '80', '--m365-token-limit', '1000/60', '--m365-log-items', '10050', '--ekran-sessions', '2500'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = await once(createInterface({ input: sim.stdout }), 'line');
  base = line.match(/http:\/\/127\.0\.0\.1:\d+/)[0];
  // What the server holds, asked independently of the app.
  const grant = async (path, headers = {}) =>
    (
      await (
        await fetch(`${base}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          body: 'grant_type=password&username=admin&password=admin',
        })
      ).json()
    ).access_token;
  const v = { 'x-api-version': '1.7-rev0' };
  const awsToken = await grant('/vendors/aws/api/v1/token', v);
  awsTotal = (await (await fetch(`${base}/vendors/aws/api/v1/sessions?Limit=1`, { headers: { ...v, authorization: `Bearer ${awsToken}` } })).json()).totalCount;
  const m365Token = await grant('/vendors/m365/v8/token');
  m365Total = (await (await fetch(`${base}/vendors/m365/v8/JobSessions?limit=10000`, { headers: { authorization: `Bearer ${m365Token}` } })).json()).results.length;
  ekranTotal = (
    await (
      await fetch(`${base}/vendors/ekran/ekranapi/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ekran-demo-token' },
        body: '{"pageIndex":0,"sessionCount":1}',
      })
    ).json()
  ).totalCount;
  assert.ok(awsTotal > 2000 && m365Total > 2000 && ekranTotal > 2000, `several pages each: ${awsTotal}, ${m365Total}, ${ekranTotal}`);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  sim?.kill();
});

const config = {
  connections: [
    { id: 'aws', kind: 'veeam-aws', label: 'AWS', baseUrl: '/vendors/aws', auth: 'password' },
    { id: 'm365', kind: 'veeam-m365', label: 'M365', baseUrl: '/vendors/m365', auth: 'password' },
    { id: 'ekran', kind: 'ekran', label: 'Ekran', baseUrl: '/vendors/ekran', auth: 'token' },
  ],
};

beforeEach(async () => {
  page = await (await browser.newContext()).newPage();
  problems = watch(page);
  await page.route(`${base}/config.json`, (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(config) }));
});

afterEach(async () => page.context().close());

const card = (id) => page.locator(`[data-connection="${id}"]`);

/** The whole list's size, from its count line (the DOM holds only the rows in view). */
const listSize = async () => Number((await page.locator('.sl-count').textContent()).match(/^\d+/)[0]);
const thousands = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

async function logOn(id) {
  await card(id).getByLabel('User name').fill('admin');
  await card(id).getByLabel('Password').fill('admin');
  await card(id).getByRole('button', { name: 'Log on' }).click();
  await card(id).getByRole('button', { name: 'Open sessions' }).waitFor();
}

/** Slows every page after the first by `ms` (the simulator's latency fault); returns the page offsets asked for. */
async function slowPages(pattern, ms) {
  const offsets = [];
  await page.route(pattern, async (route) => {
    const offset = Number(new URL(route.request().url()).searchParams.get('Offset') ?? new URL(route.request().url()).searchParams.get('offset'));
    offsets.push(offset);
    const headers = offset > 0 ? { ...route.request().headers(), 'x-sim-fault': `latency=${ms}` } : route.request().headers();
    await route.continue({ headers });
  });
  return offsets;
}

test('VBA: a list of several pages loads whole, showing "loaded N of M" on the way', async () => {
  await page.goto(`${base}/`);
  await logOn('aws');
  const offsets = await slowPages(AWS_PAGES, 400);
  await card('aws').getByRole('button', { name: 'Open sessions' }).click();
  const status = card('aws').getByRole('status');
  await status.getByText(`Loaded 500 of ${thousands(awsTotal)} sessions…`).waitFor();
  await card('aws').getByRole('button', { name: 'Cancel' }).waitFor();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  const pages = Math.ceil(awsTotal / 500);
  assert.deepEqual(offsets, Array.from({ length: pages }, (_, i) => i * 500), 'each page once, in order');
  // The list holds everything that was loaded.
  assert.equal(await listSize(), awsTotal);
  const ids = await page.locator('[role=row][data-session-id]').evaluateAll((rows) => rows.map((r) => r.dataset.sessionId));
  assert.equal(new Set(ids).size, ids.length, 'no session twice');
  assert.deepEqual(problems, []);
});

test('M365: envelope pages without a total load until a short page, with the count shown', async () => {
  await page.goto(`${base}/`);
  await logOn('m365');
  const offsets = await slowPages('**/vendors/m365/v8/JobSessions?*', 400);
  await card('m365').getByRole('button', { name: 'Open sessions' }).click();
  await card('m365').getByRole('status').getByText('Loaded 1 000 sessions…').waitFor();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  assert.deepEqual(offsets, Array.from({ length: Math.ceil(m365Total / 1000) }, (_, i) => i * 1000));
  assert.equal(await listSize(), m365Total);
  assert.deepEqual(problems, []);
});

async function useEkranToken() {
  await card('ekran').getByLabel('Token').fill('ekran-demo-token');
  await card('ekran').getByRole('button', { name: 'Use token' }).click();
  await card('ekran').getByRole('button', { name: 'Open sessions' }).waitFor();
}

test('Ekran: the paged POST is asked page by page (pageIndex, 1 000 a page) with "loaded N of M"', async () => {
  await page.goto(`${base}/`);
  await useEkranToken();
  const bodies = [];
  await page.route('**/vendors/ekran/ekranapi/sessions', async (route) => {
    const body = route.request().postDataJSON();
    bodies.push({ method: route.request().method(), body });
    const headers = body?.pageIndex > 0 ? { ...route.request().headers(), 'x-sim-fault': 'latency=400' } : route.request().headers();
    await route.continue({ headers });
  });
  await card('ekran').getByRole('button', { name: 'Open sessions' }).click();
  await card('ekran').getByRole('status').getByText(`Loaded 1 000 of ${thousands(ekranTotal)} sessions…`).waitFor();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  const pages = Math.ceil(ekranTotal / 1000);
  assert.deepEqual(
    bodies,
    Array.from({ length: pages }, (_, i) => ({ method: 'POST', body: { pageIndex: i, sessionCount: 1000 } })),
    'each page once, in order, and no whole-list GET',
  );
  assert.equal(await listSize(), ekranTotal);
  const ids = await page.locator('[role=row][data-session-id]').evaluateAll((rows) => rows.map((r) => r.dataset.sessionId));
  assert.equal(new Set(ids).size, ids.length, 'no session twice');
  assert.deepEqual(problems, []);
});

test('Ekran: a server without the paged POST (405) gets the documented GET, and the whole list opens', async () => {
  await page.goto(`${base}/`);
  await useEkranToken();
  const methods = [];
  await page.route('**/vendors/ekran/ekranapi/sessions', async (route) => {
    methods.push(route.request().method());
    if (route.request().method() === 'POST') {
      await route.fulfill({ status: 405, contentType: 'application/json', body: '{"status":405,"error":"Method Not Allowed","message":"Request method \'POST\' not supported"}' });
    } else {
      await route.continue();
    }
  });
  await card('ekran').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  assert.deepEqual(methods, ['POST', 'GET']);
  assert.equal(await listSize(), ekranTotal);
  assert.deepEqual(problems.filter((p) => !/^HTTP 405 for /.test(p)), []);
});

test('Cancel stops the paging: no page is asked for after it, nothing opens, and the next try works', async () => {
  await page.goto(`${base}/`);
  await logOn('aws');
  const offsets = await slowPages(AWS_PAGES, 1500);
  const aborted = [];
  page.on('requestfailed', (r) => aborted.push(r.failure()?.errorText));
  await card('aws').getByRole('button', { name: 'Open sessions' }).click();
  await card('aws').getByRole('status').getByText(`Loaded 500 of ${thousands(awsTotal)} sessions…`).waitFor();
  await card('aws').getByRole('button', { name: 'Cancel' }).click();
  await card('aws').getByText(`Cancelled: Loaded 500 of ${thousands(awsTotal)} sessions; nothing was opened.`).waitFor();
  // Playwright may report the aborted request a moment after the page shows the cancel.
  await new Promise((r) => setTimeout(r, 2000));
  assert.deepEqual(aborted, ['net::ERR_ABORTED'], 'the page in flight was aborted');
  assert.deepEqual(offsets, [0, 500], 'no page after the cancel');
  assert.equal(new URL(page.url()).pathname, '/');
  assert.equal(await card('aws').getByRole('button', { name: 'Cancel' }).count(), 0);
  await page.unroute(AWS_PAGES);
  await card('aws').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  assert.deepEqual(problems, []);
});

test('leaving the page cancels its requests', async () => {
  await page.goto(`${base}/`);
  await logOn('aws');
  const offsets = await slowPages(AWS_PAGES, 1500);
  const aborted = [];
  page.on('requestfailed', (r) => aborted.push([new URL(r.url()).pathname, r.failure()?.errorText]));
  await card('aws').getByRole('button', { name: 'Open sessions' }).click();
  await card('aws').getByRole('status').getByText(/Loaded 500 of/).waitFor();
  // Somewhere else in the app: the connection card goes away, and with it its requests.
  await page.getByRole('button', { name: 'Try a sample' }).click();
  await page.locator('tr.tl-row').first().waitFor();
  await new Promise((r) => setTimeout(r, 2000));
  assert.deepEqual(aborted, [['/vendors/aws/api/v1/sessions', 'net::ERR_ABORTED']]);
  assert.deepEqual(offsets, [0, 500], 'no page after leaving');
  assert.match(new URL(page.url()).pathname, /^\/log\//, 'the user stays where they went');
  assert.deepEqual(problems, []);
});

test('an M365 log longer than the API gives at once loads page after page, whole and in order', async () => {
  await page.goto(`${base}/`);
  await logOn('m365');
  await card('m365').getByRole('button', { name: 'Open sessions' }).click();
  // Narrow the list to that session, so that its row is in view.
  await page.getByLabel('Filter', { exact: true }).fill('id:="0b1e55ed-0000-4000-8000-00000000365b"');
  await page.waitForFunction(() => /^1 of /.test(document.querySelector('.sl-count')?.textContent ?? ''));
  const asked = [];
  await page.route('**/vendors/m365/v8/JobSessions/*/LogItems?*', async (route) => {
    const url = new URL(route.request().url());
    asked.push([Number(url.searchParams.get('offset')), Number(url.searchParams.get('limit'))]);
    await route.continue();
  });
  await page.getByRole('button', { name: 'Open the log of session 0b1e55ed-0000-4000-8000-00000000365b' }).click();
  // Whole: the title names no cut, and the summary counts every item of the server's log.
  await page
    .getByRole('heading', { level: 1, name: 'M365: session 0b1e55ed-0000-4000-8000-00000000365b' })
    .waitFor({ timeout: 60_000 });
  assert.deepEqual(asked, [[0, 10000], [10000, 10000]], 'the maximum page, then the rest until a short page');
  await page.getByText(/^10050 entries over /).first().waitFor();
  const rows = page.locator('tr[data-entry]');
  await rows.first().waitFor();
  assert.ok((await rows.count()) <= 200, 'bounded DOM');
  assert.deepEqual(problems, []);
});
