// Auto-refresh of a live log: a running Veeam Backup for AWS session's log fetched again in place
// (same document, same address, the zoom kept, at most 200 rows), a failed refresh said while the
// log stays, no more requests once the page is left, and auto-refresh switching itself off once
// nothing runs. Headless Chromium against the simulator; the test rewrites the log responses
// (an entry added, a 500, everything finished) to make the server's log change.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { launchChromium, startSim, watch } from './harness.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = process.env.DIST ?? join(ROOT, 'dist');
const SIM = process.env.SIM ?? join(ROOT, 'target/sim/sv-sim');
const LOG = '**/vendors/aws/api/v1/sessions/*/log';

let sim;
let base;
let browser;
let page;
let problems;
/** What the next log responses are: the server's as sent, one entry added, a 500, or finished. */
let mode;
/** Entries put in front of the server's log, so that it is long enough to scroll. */
let padding;
let logRequests;

before(async () => {
  ({ process: sim, base } = await startSim(SIM, ['--dist', DIST]));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  sim?.kill();
});

const config = { connections: [{ id: 'aws', kind: 'veeam-aws', label: 'AWS', baseUrl: '/vendors/aws', auth: 'password' }] };

beforeEach(async () => {
  page = await (await browser.newContext()).newPage();
  problems = watch(page, { allowResponse: (r) => (r.status() === 500 && mode === 'fail') || (r.status() === 401 && mode === 'ended') });
  mode = 'as sent';
  padding = 0;
  logRequests = 0;
  await page.route(`${base}/config.json`, (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(config) }));
  await page.route(LOG, async (route) => {
    logRequests += 1;
    if (mode === 'fail') {
      return route.fulfill({
        status: 500,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500, errorCode: 'InternalError', details: 'The log store is being rebuilt.' }),
      });
    }
    if (mode === 'ended') {
      return route.fulfill({
        status: 401,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401, errorCode: 'Unauthorized', details: 'The token is not valid.' }),
      });
    }
    const response = await route.fetch();
    const body = await response.json();
    const first = body.log[0];
    body.log.unshift(...Array.from({ length: padding }, (_, i) => ({ ...first, status: 'Success', message: `Padding step ${i}.` })));
    if (mode === 'added') body.log.push({ ...body.log.at(-1), message: 'Processing an entry the refresh brought.' });
    if (mode === 'finished') for (const item of body.log) item.status = 'Success';
    return route.fulfill({ response, json: body });
  });
});

afterEach(async () => page.context().close());

const card = (id) => page.locator(`[data-connection="${id}"]`);
const summary = () => page.locator('.tl-summary').textContent();
/** The zoomed window's width on the overview strip, in percent of the whole session. */
const windowWidth = () => page.locator('.tl-ov-window').evaluate((w) => parseFloat(w.style.width));
const entries = async () => Number((await summary()).match(/^(\d+) entries/)[1]);

/** Logs on, opens the sessions and the log of the running session; returns its address. */
async function openRunningLog() {
  await page.goto(`${base}/`);
  await card('aws').getByLabel('User name').fill('admin');
  await card('aws').getByLabel('Password').fill('admin');
  await card('aws').getByRole('button', { name: 'Log on' }).click();
  await card('aws').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  await page.getByLabel('Filter', { exact: true }).fill('status:running');
  await page.waitForFunction(() => /^\d+ of /.test(document.querySelector('.sl-count')?.textContent ?? ''));
  await page.locator('[role=row][data-status="running"]').first().getByRole('button', { name: /^Open the log of session / }).click();
  await page.locator('tr.tl-row').first().waitFor();
  assert.match(await summary(), /still running/);
  return page.url();
}

test('auto-refresh fetches a live log again in place, keeps the zoom, says a failure and keeps the log, and stops when the page is left', async () => {
  padding = 600;
  const url = await openRunningLog();
  const before = await entries();
  assert.ok(before > 600);
  const every = page.getByLabel('Auto-refresh');
  assert.equal(await every.inputValue(), '0', 'off by default');
  await page.getByRole('button', { name: 'Zoom in' }).click();
  const zoomed = await windowWidth();
  assert.ok(zoomed < 90, `zoomed in: ${zoomed}%`);
  // Scrolled down the rows: the first drawn row is far from the top.
  await page.locator('.tl-scroll').evaluate((el) => el.scrollTo(0, 44 * 300));
  await page.waitForFunction(() => Number(document.querySelector('tr.tl-row')?.dataset.entry) > 200);
  const firstRow = async () => Number(await page.locator('tr.tl-row').first().getAttribute('data-entry'));
  const scrolled = await firstRow();
  const scrollTop = () => page.locator('.tl-scroll').evaluate((el) => el.scrollTop);
  const top = await scrollTop();

  mode = 'added';
  const requestsBefore = logRequests;
  await every.selectOption('10');
  await page.locator('.auto-refresh time[datetime]').waitFor({ timeout: 20_000 });
  assert.match(await page.locator('.auto-refresh [role=status]').textContent(), /^Last refreshed \d\d:\d\d:\d\d\.$/);
  assert.equal(logRequests, requestsBefore + 1);
  assert.equal(await entries(), before + 1, 'the fetched log is shown');
  assert.equal(page.url(), url, 'same document, same address');
  assert.ok((await page.locator('tr.tl-row').count()) <= 200);
  assert.equal(await every.inputValue(), '10', 'still on');
  const kept = await windowWidth();
  assert.ok(kept < 90, `the zoom is kept: ${kept}%`);
  assert.equal(await scrollTop(), top, 'the scroll is kept');
  assert.equal(await firstRow(), scrolled, 'the same rows are drawn');

  mode = 'fail';
  const alert = page.locator('.auto-refresh [role=alert]');
  await alert.waitFor({ timeout: 20_000 });
  assert.match(await alert.textContent(), /^The log could not be refreshed: .*The log store is being rebuilt\..* The log below is the one fetched before\.$/);
  assert.equal(await entries(), before + 1, 'the log stays');
  assert.ok((await page.locator('tr.tl-row').count()) > 0);

  // Leaving the page stops it: no request for well over an interval.
  await page.getByRole('link', { name: 'Session Viewer' }).click();
  await page.waitForURL(`${base}/`);
  const left = logRequests;
  await page.waitForTimeout(12_000);
  assert.equal(logRequests, left, 'no refresh after leaving the page');
  assert.deepEqual(problems, []);
});

test('auto-refresh switches itself off once no entry runs any more', async () => {
  await openRunningLog();
  mode = 'finished';
  const every = page.getByLabel('Auto-refresh');
  await every.selectOption('10');
  await page.locator('.auto-refresh').getByText('No entry is running any more, so auto-refresh is off.').waitFor({ timeout: 20_000 });
  assert.equal(await every.inputValue(), '0');
  assert.doesNotMatch(await summary(), /still running/);
  const stopped = logRequests;
  await page.waitForTimeout(11_000);
  assert.equal(logRequests, stopped, 'no refresh once off');
  assert.deepEqual(problems, []);
});

test('a refresh that finds the session ended says so, keeps the log and switches auto-refresh off', async () => {
  await openRunningLog();
  const before = await entries();
  mode = 'ended';
  const every = page.getByLabel('Auto-refresh');
  await every.selectOption('10');
  const alert = page.locator('.auto-refresh [role=alert]');
  await alert.waitFor({ timeout: 20_000 });
  assert.match(await alert.textContent(), /did not accept the credentials.*Auto-refresh is off until you log on again \(home page\)\. The log below is the one fetched before\.$/);
  assert.equal(await every.inputValue(), '0');
  assert.equal(await entries(), before, 'the log stays');
  const stopped = logRequests;
  await page.waitForTimeout(11_000);
  assert.equal(logRequests, stopped, 'no refresh once signed out');
  assert.deepEqual(problems, []);
});

test('a log opened from a sample offers no auto-refresh', async () => {
  await page.goto(`${base}/log/sample-veeam-aws`);
  await page.locator('tr.tl-row').first().waitFor();
  assert.equal(await page.getByLabel('Auto-refresh').isVisible(), false);
  assert.equal(logRequests, 0);
  assert.deepEqual(problems, []);
});
