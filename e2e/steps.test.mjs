// Step statistics on the log page, against the simulator's job history: the Veeam Backup for AWS
// policy 'prod-ec2-daily' runs 30 min give or take one, except its newest finished run (75 min),
// whose database step took the extra time. Its log's step table counts and totals the steps and
// sorts by each column; "Fetch recent runs' logs" fetches the policy's previous runs (progress,
// then each step's usual, the database step marked slower) and Cancel stops it; a step's button
// shows only its entries (Back shows them all again); the summary says the run was slower than
// usual. And the bundled sample log's steps (counts and totals only: no job around it).
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { launchChromium, startSim, watch } from './harness.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = process.env.DIST ?? join(ROOT, 'dist');
const SIM = process.env.SIM ?? join(ROOT, 'target/sim/sv-sim');
const LOG = '**/vendors/aws/api/v1/sessions/*/log';
const POLICY = "Backup policy 'prod-ec2-daily'";
const DB = 'processing db-prod-eu.';
const WEB = 'processing web-#.';

let sim;
let base;
let browser;
let page;
let problems;
/** The steady policy's finished runs, newest (the slow one) first. */
let runs;
/** How long each log response waits (ms), and the session ids whose logs were asked for. */
let delay;
let asked;

before(async () => {
  ({ process: sim, base } = await startSim(SIM, ['--dist', DIST]));
  browser = await launchChromium();
  const token = await fetch(`${base}/vendors/aws/api/v1/token`, {
    method: 'POST',
    headers: { 'x-api-version': '1.7-rev0', 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=password&username=admin&password=admin',
  }).then((r) => r.json());
  const all = await fetch(`${base}/vendors/aws/api/v1/sessions?Offset=0&Limit=1000`, {
    headers: { 'x-api-version': '1.7-rev0', authorization: `Bearer ${token.access_token}` },
  }).then((r) => r.json());
  runs = all.results
    .filter((s) => s.name === POLICY && s.status !== 'Running')
    .sort((a, b) => b.executionStartTime.localeCompare(a.executionStartTime));
  assert.ok(runs.length >= 7, `enough runs of the policy: ${runs.length}`);
});

after(async () => {
  await browser?.close();
  sim?.kill();
});

const config = { connections: [{ id: 'aws', kind: 'veeam-aws', label: 'AWS', baseUrl: '/vendors/aws', auth: 'password' }] };

beforeEach(async () => {
  page = await (await browser.newContext()).newPage();
  problems = watch(page);
  delay = 0;
  asked = [];
  await page.route(`${base}/config.json`, (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(config) }));
  await page.route(LOG, async (route) => {
    asked.push(route.request().url().split('/sessions/')[1].split('/')[0]);
    if (delay) await new Promise((r) => setTimeout(r, delay));
    // A request the app cancelled meanwhile is gone: nothing to answer.
    await route.continue().catch(() => {});
  });
});

afterEach(async () => {
  assert.deepEqual(problems, []);
  await page.context().close();
});

const card = (id) => page.locator(`[data-connection="${id}"]`);
const table = () => page.locator('.tl-steps-table');
const row = (key) => table().locator(`tbody tr[data-step="${key}"]`);
const firstStep = () => table().locator('tbody tr').first().getAttribute('data-step');
const progress = () => page.locator('.tl-steps-progress');
const fetchButton = () => page.getByRole('button', { name: "Fetch recent runs' logs" });
const cancelButton = () => page.locator('.tl-steps').getByRole('button', { name: 'Cancel', exact: true });

/** Logs on, opens the sessions and the slow run's log. */
async function openSlowLog() {
  await page.goto(`${base}/`);
  await card('aws').getByLabel('User name').fill('admin');
  await card('aws').getByLabel('Password').fill('admin');
  await card('aws').getByRole('button', { name: 'Log on' }).click();
  await card('aws').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  await page.getByLabel('Filter', { exact: true }).fill(`id:="${runs[0].id}"`);
  const slow = page.locator(`[role=row][data-session-id="${runs[0].id}"]`);
  await slow.getByRole('button', { name: /^Open the log of session / }).click();
  await page.locator('tr.tl-row').first().waitFor();
}

test('the slow run: steps counted and totalled, sorted by each column, the usual fetched with progress, the slower step marked, a step shown alone, and the summary', async () => {
  await openSlowLog();
  // The summary: this run against the policy's usual.
  const usual = page.locator('.tl-vs-usual');
  assert.match(await usual.textContent(), /^1 h 15 min: \+\d+% against the usual (29|30|31) min( \d+ s)? \(median of \d+ runs\) — slower than usual\.$/);
  assert.match(await usual.getAttribute('title'), /90th percentile/);

  // Counts and totals; the most total time first: the database.
  assert.equal(await firstStep(), DB);
  assert.equal(await row(DB).getAttribute('data-count'), '1');
  assert.equal(await row(DB).getAttribute('data-total-ms'), String(66 * 60_000));
  assert.equal(await row(WEB).getAttribute('data-count'), '2');
  assert.equal(await row(WEB).getAttribute('data-total-ms'), String(6 * 60_000));
  assert.equal(await table().locator('tbody tr').count(), 5);
  const header = (name) => table().locator('th', { has: page.getByRole('button', { name, exact: true }) });
  assert.equal(await header('Total').getAttribute('aria-sort'), 'descending');
  // By count: the two web servers' step first; by total again: the database.
  await header('Count').getByRole('button').click();
  assert.equal(await header('Count').getAttribute('aria-sort'), 'descending');
  assert.equal(await header('Total').getAttribute('aria-sort'), 'none');
  assert.equal(await firstStep(), WEB);
  await header('Count').getByRole('button').click();
  assert.equal(await header('Count').getAttribute('aria-sort'), 'ascending');
  assert.notEqual(await firstStep(), WEB);
  await header('Total').getByRole('button').click();
  assert.equal(await firstStep(), DB);
  // No other run open yet: no usual.
  assert.equal(await table().locator('tbody tr[data-usual-ms]').count(), 0);

  // Fetch the policy's five previous runs' logs: progress, then the usual column.
  delay = 300;
  asked = [];
  await fetchButton().click();
  await page.waitForFunction(() => /: [1-5] of 5…$/.test(document.querySelector('.tl-steps-progress')?.textContent ?? ''));
  assert.ok(await cancelButton().isVisible());
  await page.waitForFunction(() => document.querySelector('.tl-steps-progress')?.textContent === 'Fetched the logs of 5 recent runs.');
  assert.deepEqual(asked, runs.slice(1, 6).map((r) => r.id), 'the five runs before it, newest first');
  assert.ok(await fetchButton().isHidden(), 'nothing left to fetch');
  assert.ok(await cancelButton().isHidden());
  await row(DB).and(page.locator('[data-usual-ms]')).waitFor();
  const usualDb = Number(await row(DB).getAttribute('data-usual-ms'));
  assert.ok(usualDb >= 20 * 60_000 && usualDb <= 22 * 60_000, `the database's usual: ${usualDb}`);
  assert.equal(await row(DB).getAttribute('data-slow'), '');
  assert.match(await row(DB).textContent(), /\+\d+%.*slower than usual/);
  assert.equal(await row(WEB).getAttribute('data-usual-ms'), String(6 * 60_000));
  assert.equal(await row(WEB).getAttribute('data-change-pct'), '0');
  assert.equal(await row(WEB).getAttribute('data-slow'), null);
  assert.equal(await table().locator('tbody tr[data-slow]').count(), 1, 'only the database got slower');

  // A step's entries alone in the timeline, kept in the address; Back shows every entry again.
  assert.equal(await page.locator('tr.tl-row').count(), 6);
  await row(WEB).getByRole('button').click();
  await page.waitForFunction(() => document.querySelectorAll('tr.tl-row').length === 2);
  const messages = await page.locator('tr.tl-row .tl-message').allTextContents();
  assert.ok(messages.every((m) => /^Processing web-0[12]\.$/.test(m)), messages.join(' | '));
  assert.match(page.url(), /[?&]step=processing%20web-%23\./);
  assert.equal(await row(WEB).getByRole('button').getAttribute('aria-pressed'), 'true');
  // Enter on another step's button chooses that one.
  await row(DB).getByRole('button').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('tr.tl-row').length === 1);
  assert.match(await page.locator('tr.tl-row .tl-message').textContent(), /^Processing db-prod-eu\.$/);
  await page.goBack();
  await page.waitForFunction(() => document.querySelectorAll('tr.tl-row').length === 2);
  await page.goBack();
  await page.waitForFunction(() => document.querySelectorAll('tr.tl-row').length === 6);
  assert.doesNotMatch(page.url(), /step=/);
});

test('Cancel stops fetching the recent runs\' logs and says how far it got', async () => {
  await openSlowLog();
  delay = 1500;
  asked = [];
  await fetchButton().click();
  await page.waitForFunction(() => /: 1 of 5…$/.test(document.querySelector('.tl-steps-progress')?.textContent ?? ''));
  await cancelButton().click();
  await page.waitForFunction(() => /^Cancelled: fetched \d of 5 logs\.$/.test(document.querySelector('.tl-steps-progress')?.textContent ?? ''));
  assert.ok(await cancelButton().isHidden());
  // Nothing more is asked for once cancelled, and what was not fetched can still be.
  const count = asked.length;
  await page.waitForTimeout(2000);
  assert.equal(asked.length, count);
  assert.ok(count <= 2, `${count} requests`);
  assert.ok(await fetchButton().isVisible());
});

test('the bundled sample log: each step counted and totalled, no job to compare with', async () => {
  await page.goto(`${base}/log/sample-veeam-aws`);
  await page.locator('tr.tl-row').first().waitFor();
  assert.equal(await table().locator('tbody tr').count(), 5);
  assert.deepEqual(await table().locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.count)), ['1', '1', '1', '1', '1']);
  // "Processing ubuntu16." spans 19:12:04.161597 → 19:22:13.849335; worker VM 1 min 44 s.
  assert.equal(await firstStep(), 'processing ubuntu#.');
  assert.equal(await row('processing ubuntu#.').getAttribute('data-total-ms'), '609688');
  assert.equal(await row('preparing the worker vm.').getAttribute('data-total-ms'), '104031');
  assert.ok(await page.locator('.tl-vs-usual').isHidden());
  assert.ok(await fetchButton().isHidden());
});
