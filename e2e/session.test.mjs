// Sessions that end and sessions that are kept: logging on again after a 401 brings the user back
// to the view they were on; "Keep me signed in for this tab" keeps credentials in sessionStorage
// (never localStorage) across a reload, and signing out clears them. Headless Chromium against
// the simulator with short-lived M365 tokens and EM sessions (whose views call the server again
// when a logon session's link is followed).
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
const TTL_S = 2;

let sim;
let base;
let browser;
let page;
let problems;

before(async () => {
  sim = spawn(SIM, ['--port', '0', '--dist', DIST, '--m365-token-ttl', String(TTL_S), '--em-idle-timeout', String(TTL_S), '--m365-token-limit', '1000/60'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = await once(createInterface({ input: sim.stdout }), 'line');
  base = line.match(/http:\/\/127\.0\.0\.1:\d+/)[0];
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  sim?.kill();
});

const config = {
  connections: [
    { id: 'em', kind: 'veeam-em', label: 'EM', baseUrl: '/vendors/em', auth: 'password' },
    { id: 'm365', kind: 'veeam-m365', label: 'M365', baseUrl: '/vendors/m365', auth: 'password' },
    { id: 'aws', kind: 'veeam-aws', label: 'AWS', baseUrl: '/vendors/aws', auth: 'password' },
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
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

async function logOn(id, { keep = false } = {}) {
  await card(id).getByLabel('User name').fill('admin');
  await card(id).getByLabel('Password').fill('admin');
  if (keep) await card(id).getByLabel('Keep me signed in for this tab').check();
  await card(id).getByRole('button', { name: 'Log on' }).click();
}

test('M365: a token that expired while on the session list → log on again → back on the same list, which still works', async () => {
  await page.goto(`${base}/`);
  await logOn('m365');
  await card('m365').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  const listUrl = page.url();
  const rows = await listSize();
  await pause(TTL_S * 1000 + 500); // the token is now expired
  const finished = page.locator('[role=row][data-status="success"], [role=row][data-status="warning"], [role=row][data-status="failed"]').first();
  await finished.getByRole('button', { name: /^Open the log of session / }).click();
  // The log-on form of that connection, saying why.
  await card('m365').getByText('Your session ended. Log on again to go back to where you were.').waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
  await logOn('m365');
  await page.waitForURL(listUrl);
  await page.locator('[role=row][data-session-id]').first().waitFor();
  assert.equal(await listSize(), rows, 'the same list, as it was');
  await finished.getByRole('button', { name: /^Open the log of session / }).click();
  await page.locator('tr.tl-row').first().waitFor();
  assert.deepEqual(problems.filter((p) => !/^HTTP 401 for .*\/LogItems/.test(p)), []);
});

/** As the README's proxy does for EM: drop `WWW-Authenticate`, or the browser answers a 401 with its own password prompt. */
async function stripWwwAuthenticate() {
  await page.route('**/vendors/em/**', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['www-authenticate'];
    await route.fulfill({ response, headers });
  });
}

test('EM: an expired logon session → the log-on form says so → logging on again opens the sessions', async () => {
  await stripWwwAuthenticate();
  await page.goto(`${base}/`);
  await logOn('em');
  await card('em').getByRole('button', { name: 'Open sessions' }).waitFor();
  await pause(TTL_S * 1000 + 500); // idle past EM's timeout
  await card('em').getByRole('button', { name: 'Open sessions' }).click();
  const alert = card('em').getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /did not accept the credentials \(wrong user name or password, or the session expired\)\. Log on again\./);
  await logOn('em');
  await card('em').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('article.logon').first().waitFor({ state: 'attached' });
  assert.deepEqual(problems.filter((p) => !/^HTTP 401 for .*\/api\/logonSessions$/.test(p)), []);
});

test('EM: a logon session that expired while on the logon details → log on again → back on the same details, where following a link works', async () => {
  const seed = '5496707f-c814-47ce-8d6d-110aa03cec03';
  await stripWwwAuthenticate();
  await page.goto(`${base}/`);
  await logOn('em');
  await card('em').getByRole('button', { name: 'Open sessions' }).click();
  await page.waitForURL(`${base}/logon/live-em`);
  const details = page.locator('article.logon', { hasText: seed });
  // The list above shows the selected session's details only.
  const select = () => page.locator(`.sl-row[data-session-id="${seed}"]`).click();
  await select();
  await details.waitFor();
  await pause(TTL_S * 1000 + 500); // idle past EM's timeout
  await details.getByRole('button', { name: 'Open LogonSession' }).click();
  // The log-on form of that connection, saying why.
  await card('em').getByText('Your session ended. Log on again to go back to where you were.').waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
  await logOn('em');
  await page.waitForURL(`${base}/logon/live-em?sel=${seed}`); // back where it was, the selection kept
  await select();
  await details.getByRole('button', { name: 'Open LogonSession' }).click();
  await page.waitForURL(`${base}/logon/live-em-logon-${seed}`);
  assert.equal(await page.locator('article.logon').getAttribute('data-user'), 'ENTERPRISE04\\Administrator');
  assert.deepEqual(problems.filter((p) => !new RegExp(`^HTTP 401 for .*/api/logonSessions/${seed}$`).test(p)), []);
});

/** Everything the page keeps in the browser's storage, as `{ local, session }`. */
const storage = () => page.evaluate(() => ({ local: { ...localStorage }, session: { ...sessionStorage } }));
/** What a VBA log-on leaves in localStorage: the API version it found for the connection (no secret). */
const VERSION = { 'session-viewer.api-version aws veeam-aws /vendors/aws': '1.7-rev0' };

test('"Keep me signed in for this tab" keeps credentials in sessionStorage only; a reload restores them; signing out clears them', async () => {
  await page.goto(`${base}/`);
  // Not ticked: no credential stored anywhere (only the version the log-on found).
  await logOn('aws');
  await card('aws').getByRole('button', { name: 'Open sessions' }).waitFor();
  assert.deepEqual(await storage(), { local: VERSION, session: {} });
  await page.reload();
  await card('aws').getByLabel('Password').waitFor();
  assert.equal(await card('aws').getByLabel('Password').getAttribute('autocomplete'), 'current-password');

  // Ticked, for a grant (VBA) and a pasted token (Ekran).
  await logOn('aws', { keep: true });
  await card('aws').getByRole('button', { name: 'Open sessions' }).waitFor();
  // A bearer token is not offered to password managers; a password is.
  assert.equal(await card('ekran').getByLabel('Token').getAttribute('autocomplete'), 'off');
  assert.equal(await card('aws').locator('input[type=password]').count(), 0, 'signed in');
  await card('ekran').getByLabel('Token').fill('ekran-demo-token');
  await card('ekran').getByLabel('Keep me signed in for this tab').check();
  await card('ekran').getByRole('button', { name: 'Use token' }).click();
  const kept = await storage();
  assert.deepEqual(kept.local, VERSION, 'never a credential in localStorage');
  assert.deepEqual(Object.keys(kept.session), ['session-viewer.credentials']);
  const lines = kept.session['session-viewer.credentials'].split('\n').sort();
  assert.equal(lines.length, 2);
  // Filed under each connection's id, kind and base URL.
  assert.match(lines[0], /^aws veeam-aws \/vendors\/aws\tG\t[^\t]+\t\t\d+$/, 'VBA: access token and expiry, never the refresh token');
  assert.equal(lines[1], 'ekran ekran /vendors/ekran\tB\tekran-demo-token\t\t');
  assert.ok(!/admin/.test(kept.session['session-viewer.credentials']), 'no password');

  // A reload keeps the tab signed in, and the kept token works.
  await page.reload();
  await card('aws').getByRole('button', { name: 'Open sessions' }).waitFor();
  await card('ekran').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  await page.goBack();

  // Signing out clears it, at the vendor and in the tab.
  await card('aws').getByRole('button', { name: 'Sign out' }).click();
  await card('aws').getByLabel('Password').waitFor();
  assert.deepEqual(Object.keys((await storage()).session), ['session-viewer.credentials']);
  assert.match((await storage()).session['session-viewer.credentials'], /^ekran ekran \/vendors\/ekran\t/);

  // A config.json that now gives the id "ekran" to another server: the kept token does not go
  // there (the card asks for a token, and nothing is sent with it).
  await page.unroute(`${base}/config.json`);
  const moved = { connections: [{ id: 'ekran', kind: 'ekran', label: 'Ekran elsewhere', baseUrl: '/vendors/ekran-other', auth: 'token' }] };
  await page.route(`${base}/config.json`, (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(moved) }));
  await page.reload();
  await card('ekran').getByLabel('Token').waitFor();
  assert.equal(await card('ekran').getByRole('button', { name: 'Open sessions' }).count(), 0, 'not signed in');
  await page.unroute(`${base}/config.json`);
  await page.route(`${base}/config.json`, (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(config) }));
  await page.reload();
  // Back as it was: the token kept for it comes back.
  await card('ekran').getByRole('button', { name: 'Open sessions' }).waitFor();
  await card('ekran').getByRole('button', { name: 'Sign out' }).click();
  await card('ekran').getByLabel('Token').waitFor();
  assert.deepEqual(await storage(), { local: VERSION, session: {} }, 'signed out everywhere: only the version found is left');
  assert.deepEqual(problems, []);
});

test('kept signed in: a reload on a connection\'s list or log fetches it again (documents are not stored, connections are)', async () => {
  await page.goto(`${base}/`);
  await logOn('aws', { keep: true });
  await card('aws').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  const listUrl = page.url();
  const rows = await listSize();
  await page.reload();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  assert.equal(page.url(), listUrl, 'still on the list');
  assert.equal(await listSize(), rows, 'the same list');
  const finished = page.locator('[role=row][data-status="success"]').first();
  await finished.getByRole('button', { name: /^Open the log of session / }).click();
  await page.locator('tr.tl-row').first().waitFor();
  const logUrl = page.url();
  assert.match(new URL(logUrl).pathname, /^\/log\/live-aws-[0-9a-f-]+$/);
  const entries = await page.locator('tr.tl-row').count();
  await page.reload();
  await page.locator('tr.tl-row').first().waitFor();
  assert.equal(page.url(), logUrl);
  assert.equal(await page.locator('tr.tl-row').count(), entries, 'the same log');
  // An address naming a connection this tab does not know says so (no request, no raw error).
  await page.goto(`${base}/sessions/live-nowhere`);
  await page.getByText('This came from a connection that is not configured here: the home page lists the connections.').waitFor();
  assert.deepEqual(problems, []);
});

test('M365, kept signed in: a reload after the token expired → the log-on form says so → logging on again opens the same list', async () => {
  await page.goto(`${base}/`);
  await logOn('m365', { keep: true });
  await card('m365').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  const listUrl = page.url();
  const rows = await listSize();
  await pause(TTL_S * 1000 + 500); // the kept token is now expired
  await page.reload();
  // The tab still holds the (expired) token: the list is asked for again, the server refuses,
  // and the log-on form says why.
  await card('m365').getByText('Your session ended. Log on again to go back to where you were.').waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
  await logOn('m365');
  await page.waitForURL(listUrl);
  await page.locator('[role=row][data-session-id]').first().waitFor();
  assert.equal(await listSize(), rows, 'the same list, as it was');
  assert.deepEqual(problems.filter((p) => !/^HTTP 401 for .*\/JobSessions/.test(p)), []);
});
