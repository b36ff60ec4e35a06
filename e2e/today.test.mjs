// End-to-end against servers as people run them today (issue 13): M365 v6, v7 and v8, VBA
// releases reached with "automatic" API versions (and a fixed one a server refuses), VBA MFA,
// M365 log-off, PAM on its current path and on the old one, Enterprise Manager backup sessions
// to their task sessions, PAM elevation requests with role names, and a time range that asks the
// server for its window.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium, startSim, watch } from './harness.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = process.env.DIST ?? join(ROOT, 'dist');
const SIM = process.env.SIM ?? join(ROOT, 'target/sim/sv-sim');

const CONFIG = {
  connections: [
    { id: 'm365-v6', kind: 'veeam-m365', label: 'M365 v6', baseUrl: '/vendors/m365', apiVersion: 'v6', auth: 'password' },
    { id: 'm365-v7', kind: 'veeam-m365', label: 'M365 v7', baseUrl: '/vendors/m365', apiVersion: 'v7', auth: 'password' },
    { id: 'm365-v8', kind: 'veeam-m365', label: 'M365 v8', baseUrl: '/vendors/m365', auth: 'password' },
    { id: 'aws-auto', kind: 'veeam-aws', label: 'AWS automatic', baseUrl: '/vendors/aws', auth: 'password' },
    { id: 'aws-old', kind: 'veeam-aws', label: 'AWS fixed 1.0', baseUrl: '/vendors/aws', apiVersion: '1.0-rev0', auth: 'password' },
    { id: 'em', kind: 'veeam-em', label: 'EM', baseUrl: '/vendors/em', auth: 'password' },
    { id: 'pam', kind: 'mim-pam', label: 'PAM', baseUrl: '/vendors/pam', auth: 'none' },
  ],
};

let dist;
let browser;
let page;
let problems;
const sims = [];

/** Starts a simulator serving the build with this suite's config.json; resolves its base URL. */
async function sim(...args) {
  const started = await startSim(SIM, ['--dist', dist, '--pam-auth', 'off', ...args]);
  sims.push(started.process);
  return started.base;
}

before(async () => {
  dist = await mkdtemp(join(tmpdir(), 'sv-today-'));
  await cp(DIST, dist, { recursive: true });
  await writeFile(join(dist, 'config.json'), JSON.stringify(CONFIG));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  for (const s of sims) s.kill();
  await rm(dist, { recursive: true, force: true });
});

beforeEach(async () => {
  page = await (await browser.newContext()).newPage();
  problems = watch(page);
});

afterEach(async () => page.context().close());

const card = (id) => page.locator(`[data-connection="${id}"]`);

async function logOn(id, user = 'admin', password = 'admin') {
  await card(id).getByLabel('User name').fill(user);
  await card(id).getByLabel('Password').fill(password);
  await card(id).getByRole('button', { name: 'Log on' }).click();
}

/** The paths (with query) of the requests the page made to `prefix`. */
function recorder() {
  const seen = [];
  page.on('request', (r) => seen.push({ url: new URL(r.url()), method: r.method(), headers: r.headers() }));
  return seen;
}

test('M365 v6, v7 and v8: each version in its paths, job names from Jobs, and its log items read', async () => {
  const base = await sim();
  const seen = recorder();
  for (const version of ['v6', 'v7', 'v8']) {
    await page.goto(`${base}/`);
    await logOn(`m365-${version}`);
    await card(`m365-${version}`).getByRole('button', { name: 'Open sessions' }).click();
    const rows = page.locator('[role=row][data-session-id]');
    await rows.first().waitFor();
    const paths = seen.map((s) => s.url.pathname);
    assert.ok(paths.includes(`/vendors/m365/${version}/token`), `${version}: logged on at its version`);
    assert.ok(paths.includes(`/vendors/m365/${version}/JobSessions`), `${version}: listed at its version`);
    assert.ok(paths.includes(`/vendors/m365/${version}/Jobs`), `${version}: asked for the jobs' names`);
    // Job names, not the error text or an id, name the sessions.
    const names = await rows.evaluateAll((rs) => rs.map((r) => r.textContent));
    assert.ok(names.some((t) => /Exchange|SharePoint|OneDrive|Teams|Mailbox|Backup/i.test(t)), `${version}: ${names.slice(0, 3)}`);
    // A finished session's log: every item has a status (v8 items have no title, only a type).
    const finished = page.locator('[role=row][data-status="success"], [role=row][data-status="warning"], [role=row][data-status="failed"]').first();
    await finished.getByRole('button', { name: /^Open the log of session / }).click();
    await page.locator('tr.tl-row').first().waitFor();
    const statuses = await page.locator('tr.tl-row').evaluateAll((rs) => rs.map((r) => r.dataset.status));
    assert.ok(statuses.length > 0 && statuses.every((s) => s !== 'unknown'), `${version}: ${statuses}`);
    assert.ok(seen.some((s) => s.url.pathname.startsWith(`/vendors/m365/${version}/JobSessions/`) && s.url.pathname.endsWith('/LogItems')), `${version}: log at its version`);
  }
  assert.deepEqual(problems, []);
});

test('M365 sign-out logs off at the server (token/logout), so the token is dead there too', async () => {
  const base = await sim();
  const seen = recorder();
  await page.goto(`${base}/`);
  await logOn('m365-v8');
  await card('m365-v8').getByRole('button', { name: 'Open sessions' }).waitFor();
  const token = seen.find((s) => s.url.pathname === '/vendors/m365/v8/token');
  assert.ok(token, 'logged on');
  const [logout] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/vendors/m365/v8/token/logout')),
    card('m365-v8').getByRole('button', { name: 'Sign out' }).click(),
  ]);
  assert.ok(logout.ok(), `logout answered ${logout.status()}`);
  const bearer = logout.request().headers().authorization;
  assert.match(bearer, /^Bearer /);
  const after = await fetch(`${base}/vendors/m365/v8/JobSessions?limit=1`, { headers: { authorization: bearer } });
  assert.equal(after.status, 401, 'the server no longer accepts the token');
  await card('m365-v8').getByLabel('Password').waitFor();
  assert.deepEqual(problems, []);
});

test('VBA "automatic": each simulated release is reached with the newest revision it serves, and says which', async () => {
  for (const [release, expected] of [['7', '1.5-rev1'], ['8', '1.6-rev0'], ['9', '1.7-rev0'], ['9.1', '1.7-rev1']]) {
    const base = await sim('--aws-release', release);
    const seen = recorder();
    await page.goto(`${base}/`);
    // The refused revisions on the way down answer 400: the browser logs each.
    await logOn('aws-auto');
    await card('aws-auto').getByRole('button', { name: 'Open sessions' }).waitFor();
    assert.equal(await card('aws-auto').locator('[data-api-version]').getAttribute('data-api-version'), expected, `release ${release}`);
    await card('aws-auto').getByRole('button', { name: 'Open sessions' }).click();
    await page.locator('[role=row][data-session-id]').first().waitFor();
    const list = seen.filter((s) => s.url.pathname === '/vendors/aws/api/v1/sessions');
    assert.ok(list.length > 0 && list.every((s) => s.headers['x-api-version'] === expected), `release ${release}: lists with ${expected}`);
    const tries = seen.filter((s) => s.url.pathname === '/vendors/aws/api/v1/token').map((s) => s.headers['x-api-version']);
    assert.equal(tries.at(-1), expected);
    assert.equal(tries[0], '1.7-rev1', 'the newest first');
    assert.deepEqual(problems.filter((p) => !/^HTTP 400 for /.test(p)), [], `release ${release}`);
    problems.length = 0;
    await page.goto('about:blank');
  }
});

test('VBA "automatic": the revision found is remembered for the connection and tried first after a reload', async () => {
  // Release 7 serves up to 1.5-rev1: the first log-on steps down to it.
  const base = await sim('--aws-release', '7');
  const seen = recorder();
  await page.goto(`${base}/`);
  await logOn('aws-auto');
  await card('aws-auto').getByRole('button', { name: 'Open sessions' }).waitFor();
  const tries = () => seen.filter((s) => s.url.pathname === '/vendors/aws/api/v1/token' && s.method === 'POST').map((s) => s.headers['x-api-version']);
  assert.equal(tries()[0], '1.7-rev1', 'the first log-on starts at the newest');
  assert.equal(tries().at(-1), '1.5-rev1');
  // Remembered per connection (its id, kind and base URL), never with a credential.
  const stored = await page.evaluate(() => Object.entries(localStorage));
  assert.deepEqual(stored, [['session-viewer.api-version aws-auto veeam-aws /vendors/aws', '1.5-rev1']]);
  await page.reload();
  seen.length = 0;
  // Before the log-on, the card already says which version the connection speaks.
  assert.equal(await card('aws-auto').locator('[data-api-version]').getAttribute('data-api-version'), '1.5-rev1');
  await logOn('aws-auto');
  await card('aws-auto').getByRole('button', { name: 'Open sessions' }).waitFor();
  assert.deepEqual(tries(), ['1.5-rev1'], 'the remembered revision first, and nothing refused');
  assert.equal(await card('aws-auto').locator('[data-api-version]').getAttribute('data-api-version'), '1.5-rev1');
  await card('aws-auto').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  const list = seen.filter((s) => s.url.pathname === '/vendors/aws/api/v1/sessions');
  assert.ok(list.length > 0 && list.every((s) => s.headers['x-api-version'] === '1.5-rev1'));
  assert.deepEqual(problems.filter((p) => !/^HTTP 400 for .*\/api\/v1\/token$/.test(p)), []);
});

/** The list's count line ("N sessions"), once it is not `before`. */
async function countAfter(before) {
  await page.waitForFunction((b) => {
    const t = document.querySelector('.sl-count')?.textContent ?? '';
    return t !== '' && t !== b;
  }, before);
  return page.locator('.sl-count').textContent();
}

test('VBA: a session type asks the server (Types), the list holds only that type, and Back asks again', async () => {
  const base = await sim('--aws-release', '9');
  await page.goto(`${base}/`);
  await logOn('aws-auto');
  await card('aws-auto').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  const all = await page.locator('.sl-count').textContent();
  const [typed] = await Promise.all([
    page.waitForRequest((r) => new URL(r.url()).pathname === '/vendors/aws/api/v1/sessions' && new URL(r.url()).searchParams.has('Types')),
    page.getByRole('combobox', { name: 'Type', exact: true }).selectOption('FLRTask'),
  ]);
  const q = new URL(typed.url()).searchParams;
  assert.deepEqual([q.get('Types'), q.get('Offset')], ['FLRTask', '0']);
  const count = await countAfter(all);
  assert.match(page.url(), /[?&]only=FLRTask\b/);
  // What the server holds of that type, asked directly.
  const headers = { authorization: typed.headers().authorization, 'x-api-version': typed.headers()['x-api-version'] };
  const direct = await (await fetch(`${base}/vendors/aws/api/v1/sessions?Types=FLRTask&Limit=-1`, { headers })).json();
  const ids = new Set(direct.results.map((s) => s.id));
  assert.ok(direct.totalCount > 0 && direct.results.every((s) => s.type === 'FLRTask'));
  assert.equal(count, `${direct.totalCount} sessions`);
  assert.notEqual(count, all);
  const shown = await page.locator('[role=row][data-session-id]').evaluateAll((rs) => rs.map((r) => r.dataset.sessionId));
  assert.ok(shown.length > 0 && shown.every((id) => ids.has(id)), 'only sessions of that type');
  assert.equal(await page.getByRole('combobox', { name: 'Type', exact: true }).inputValue(), 'FLRTask');
  // Back: the list without the type, asked of the server again.
  const [untyped] = await Promise.all([
    page.waitForRequest((r) => new URL(r.url()).pathname === '/vendors/aws/api/v1/sessions'),
    page.goBack(),
  ]);
  assert.ok(!new URL(untyped.url()).searchParams.has('Types'));
  assert.equal(await countAfter(count), all);
  assert.deepEqual(problems.filter((p) => !/^HTTP 400 for .*\/api\/v1\/token$/.test(p)), []);
});

test('M365: a job asks the server (jobId) and the list holds only its sessions; a v6 server is not offered it', async () => {
  const base = await sim();
  await page.goto(`${base}/`);
  await logOn('m365-v8');
  await card('m365-v8').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  const all = await page.locator('.sl-count').textContent();
  const select = page.getByRole('combobox', { name: 'Job', exact: true });
  const [job, name] = await select.locator('option').nth(1).evaluate((o) => [o.value, o.textContent]);
  assert.match(job, /^[0-9a-f-]{36}$/i);
  const [asked] = await Promise.all([
    page.waitForRequest((r) => new URL(r.url()).pathname === '/vendors/m365/v8/JobSessions' && new URL(r.url()).searchParams.has('jobId')),
    select.selectOption(job),
  ]);
  const q = new URL(asked.url()).searchParams;
  assert.deepEqual([q.get('jobId'), q.get('offset')], [job, '0']);
  const count = await countAfter(all);
  const direct = await (await fetch(`${base}/vendors/m365/v8/JobSessions?jobId=${job}&limit=1000`, { headers: { authorization: asked.headers().authorization } })).json();
  assert.ok(direct.results.length > 0 && direct.results.every((s) => s.jobId === job));
  assert.equal(count, `${direct.results.length} sessions`);
  const rows = await page.locator('[role=row][data-session-id]').evaluateAll((rs) => rs.map((r) => r.textContent));
  assert.ok(rows.length > 0 && rows.every((t) => t.includes(name)), `only ${name}'s sessions`);
  assert.match(page.url(), new RegExp(`[?&]only=${job}`));
  // v6 has no jobId on JobSessions: no select.
  await page.goto(`${base}/`);
  await logOn('m365-v6');
  await card('m365-v6').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  assert.equal(await page.getByRole('combobox', { name: 'Job', exact: true }).count(), 0);
  assert.deepEqual(problems, []);
});

test('VBA with a fixed revision the server refuses says so in words', async () => {
  const base = await sim('--aws-release', '9');
  await page.goto(`${base}/`);
  await logOn('aws-old');
  const alert = card('aws-old').getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /does not serve API version 1\.0-rev0.*Leave the connection's API version empty/);
  assert.deepEqual(problems.filter((p) => !/^HTTP 400 for /.test(p)), []);
});

test('VBA MFA: the log-on asks for the one-time code and completes with the MFA grant', async () => {
  const base = await sim();
  const seen = recorder();
  await page.goto(`${base}/`);
  await logOn('aws-auto', 'mfa', 'mfa');
  const code = card('aws-auto').getByLabel('One-time code');
  await code.waitFor();
  await code.fill('123456');
  await card('aws-auto').getByRole('button', { name: 'Confirm' }).click();
  await card('aws-auto').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  const grants = seen.filter((s) => s.url.pathname === '/vendors/aws/api/v1/token' && s.method === 'POST');
  assert.ok(grants.length >= 2, 'a password grant, then the MFA grant');
  assert.ok(seen.every((s) => !/123456|mfa_token/.test(s.url.search)), 'no code or token in a URL');
  // Nothing secret in localStorage: only the API version the log-on found, for next time.
  const stored = await page.evaluate(() => Object.entries(localStorage));
  assert.ok(stored.every(([k, v]) => k.startsWith('session-viewer.api-version ') && /^1\.\d+-rev\d+$/.test(v)), JSON.stringify(stored));
  // The newest revision, which release 9 refuses, on the way down: the browser logs its 400.
  assert.deepEqual(problems.filter((p) => !/^HTTP 400 for .*\/api\/v1\/token$/.test(p)), []);
});

test('PAM: session info on /api/pamresources/, and on the old path where a server has only that', async () => {
  const current = await sim();
  const seen = recorder();
  await page.goto(`${current}/`);
  await card('pam').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('article.logon').first().waitFor();
  assert.ok(seen.some((s) => s.url.pathname === '/vendors/pam/api/pamresources/sessioninfo'));
  assert.ok(!seen.some((s) => s.url.pathname === '/vendors/pam/api/session/sessioninfo'), 'the old path is not asked');

  // An old server: the current path is not there (404), the old one is.
  const old = await sim('--pam-legacy-path');
  await page.route('**/vendors/pam/api/pamresources/sessioninfo', (route) => route.fulfill({ status: 404, contentType: 'application/json', body: '{"odata.error":{"code":"NotFound","message":{"lang":"en-US","value":"No such resource"}}}' }));
  await page.goto(`${old}/`);
  await card('pam').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('article.logon').first().waitFor();
  assert.ok(seen.some((s) => s.url.pathname === '/vendors/pam/api/session/sessioninfo'), 'the old path after a 404');
  assert.deepEqual(problems.filter((p) => !/^HTTP 404 for /.test(p)), []);
});

test('PAM elevation requests: requester, role by name, status, and a range asks the server ($filter)', async () => {
  const base = await sim();
  const seen = recorder();
  await page.goto(`${base}/`);
  await card('pam').getByRole('button', { name: 'Open elevation requests' }).click();
  const rows = page.locator('[role=row][data-session-id]');
  await rows.first().waitFor({ timeout: 10000 }).catch(async (e) => {
    throw new Error(`${e.message}\n${await page.locator('main').textContent()}`);
  });
  assert.ok(seen.some((s) => s.url.pathname === '/vendors/pam/api/pamresources/pamroles'), 'role names asked for');
  const text = await rows.evaluateAll((rs) => rs.map((r) => r.textContent).join('\n'));
  assert.ok(!/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/.test(text.split('\n')[0] ?? ''), 'roles by name, not id');
  const [filtered] = await Promise.all([
    page.waitForRequest((r) => r.url().includes('/pamresources/pamrequests') && /%24filter|\$filter/.test(r.url())),
    page.getByLabel('Time range', { exact: true }).selectOption('7d'),
  ]);
  assert.match(decodeURIComponent(new URL(filtered.url()).search.replace(/\+/g, ' ')), /\$filter=CreationTime ge datetime'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d'/);
  assert.deepEqual(problems, []);
});

test('Enterprise Manager backup sessions (job names), and a session\'s task sessions one click away', async () => {
  const base = await sim();
  await page.goto(`${base}/`);
  await logOn('em');
  await card('em').getByRole('button', { name: 'Open backup sessions' }).click();
  const rows = page.locator('[role=row][data-session-id]');
  await rows.first().waitFor();
  assert.ok((await rows.count()) > 5);
  const statuses = await rows.evaluateAll((rs) => rs.map((r) => r.dataset.status));
  assert.ok(!statuses.includes('unknown'), `${statuses}`);
  const finished = page.locator('[role=row][data-status="success"], [role=row][data-status="warning"], [role=row][data-status="failed"]').first();
  const [tasks] = await Promise.all([
    page.waitForRequest((r) => /\/vendors\/em\/api\/backupSessions\/[^/]+\/taskSessions$/.test(new URL(r.url()).pathname)),
    finished.getByRole('button', { name: /^Open the log of session / }).click(),
  ]);
  assert.ok(tasks);
  await page.locator('tr.tl-row').first().waitFor();
  assert.ok((await page.locator('tr.tl-row').count()) > 0, 'one entry per task');
  assert.deepEqual(problems, []);
});

test('a range change on a VBA list asks the server for the window (FromUtc/ToUtc)', async () => {
  const base = await sim();
  await page.goto(`${base}/`);
  await logOn('aws-auto');
  await card('aws-auto').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  await page.getByLabel('Times in UTC').check();
  await page.getByLabel('Time range', { exact: true }).selectOption('custom');
  await page.getByLabel('From', { exact: true }).fill('2025-08-30T00:00:00');
  await page.getByLabel('To', { exact: true }).fill('2025-08-31T12:00:00');
  const [ranged] = await Promise.all([
    page.waitForRequest((r) => new URL(r.url()).pathname === '/vendors/aws/api/v1/sessions' && new URL(r.url()).searchParams.has('FromUtc')),
    page.getByRole('button', { name: 'Apply range' }).click(),
  ]);
  const q = new URL(ranged.url()).searchParams;
  assert.equal(q.get('FromUtc'), '2025-08-30T00:00:00Z');
  assert.equal(q.get('ToUtc'), '2025-08-31T12:00:00Z');
  assert.equal(q.get('Offset'), '0');
  assert.deepEqual(problems.filter((p) => !/^HTTP 400 for .*\/api\/v1\/token$/.test(p)), []);
});

test('A session id from the data that is not an id (../token) never reaches a request path', async () => {
  const base = await sim('--aws-release', '9');
  const seen = recorder();
  // The server's list is rewritten on its way to the page: its first session's id becomes a
  // path that would climb to the token endpoint (and, behind a proxy, to another upstream).
  let hostile = null;
  await page.route((url) => url.pathname === '/vendors/aws/api/v1/sessions', async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    if (Array.isArray(body.results) && body.results.length > 0 && hostile === null) {
      hostile = '../token';
      body.results[0].id = hostile;
    }
    await route.fulfill({ response, json: body });
  });
  await page.goto(`${base}/`);
  await logOn('aws-auto');
  await card('aws-auto').getByRole('button', { name: 'Open sessions' }).click();
  const row = page.locator('[role=row][data-session-id="../token"]');
  await row.waitFor();
  assert.equal(hostile, '../token', 'the list was rewritten');
  await row.getByRole('button', { name: /Open the log of session/ }).click();
  await page.getByText(/is not one this app sends to a server/).first().waitFor();
  // The browser resolves `..` before sending, so a climb shows as a request under the token path
  // other than the log-on itself (or as a `..` left encoded).
  const climbed = seen.filter(
    (s) =>
      /\.\.|%2e%2e/i.test(s.url.href) ||
      (s.url.pathname.startsWith('/vendors/aws/api/v1/token') && !(s.method === 'POST' && s.url.pathname === '/vendors/aws/api/v1/token')),
  );
  assert.deepEqual(climbed.map((s) => `${s.method} ${s.url.href}`), []);
  assert.deepEqual(problems.filter((p) => !/^HTTP 400 for /.test(p)), []);
});

test('A response that says it is over 128 MB is refused by its Content-Length, with a sentence, before it is read', async () => {
  const base = await sim('--aws-release', '9');
  let served = 0;
  await page.route((url) => url.pathname === '/vendors/aws/api/v1/sessions', async (route) => {
    served += 1;
    // What a server announces for a 200 MB answer; the body is never read by the app.
    await route.fulfill({ status: 200, headers: { 'content-type': 'application/json', 'content-length': String(200 * 1024 * 1024) }, body: '{"results":[]}' });
  });
  await page.goto(`${base}/`);
  await logOn('aws-auto');
  await card('aws-auto').getByRole('button', { name: 'Open sessions' }).click();
  await page.getByText(/The answer is over 128 MB, more than the viewer reads/).first().waitFor();
  assert.ok(served > 0);
  assert.deepEqual(problems.filter((p) => !/^HTTP 400 for /.test(p) && !/ERR_CONTENT_LENGTH_MISMATCH/.test(p)), []);
});
