// End-to-end against the vendor simulator: the release build served by `sv-sim --dist` (the demo
// of README command 1), and the app's adapters reading responses the simulator wrote from its own,
// independent reading of the vendor documentation.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium, startSim, watch } from './harness.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = process.env.DIST ?? join(ROOT, 'dist');
const SIM = process.env.SIM ?? join(ROOT, 'target/sim/sv-sim');
const AWS_SEED = '90faa259-fbf6-493a-b492-e59e1cfbe3a6';
const M365_SEED = 'be376069-2865-4156-a9bc-825cef7d687e';

let sim;
let base;
let browser;
let page;
let problems;
let dir;

before(async () => {
  ({ process: sim, base } = await startSim(SIM, ['--dist', DIST, '--write-config', join(DIST, 'config.json'), '--ekran-sessions', '1200']));
  dir = await mkdtemp(join(tmpdir(), 'sv-sim-'));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  sim?.kill();
  // Leave dist/ as the build made it, for suites that serve it without a config.
  await rm(join(DIST, 'config.json'), { force: true });
});

beforeEach(async () => {
  page = await (await browser.newContext()).newPage();
  // Tests that expect a 401 allow it explicitly.
  problems = watch(page);
});

afterEach(async () => page.context().close());

/** Fetches from the simulator and saves the body as a file, as a user saving a response would. */
async function save(name, path, init = {}) {
  const res = await fetch(`${base}${path}`, init);
  assert.equal(res.status, 200, `${path}: ${res.status} ${await res.clone().text()}`);
  const file = join(dir, name);
  await writeFile(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

async function token(path, body, headers = {}) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body),
  });
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  return (await res.json()).access_token;
}

/** Opens a file through "Open file" and returns the page's rows and whether anything was skipped. */
async function open(file, rowSelector) {
  await page.goto(`${base}/`);
  await page.getByLabel('Open file').setInputFiles(file);
  await page.locator(rowSelector).first().waitFor();
  const skipped = await page.locator('details.notice').count();
  if (await page.locator('.sl-count').count()) {
    // A session list: the DOM holds only the rows in view, so read the whole list's count and
    // statuses from the list itself (its count line and its status facet).
    assert.ok((await page.locator(rowSelector).count()) <= 200, 'a bounded list');
    const rows = Number((await page.locator('.sl-count').textContent()).match(/^\d+/)[0]);
    const statuses = await page.locator('.facet-group[aria-label=Status] [data-include="1"]').evaluateAll((bs) => bs.map((b) => b.dataset.value).sort());
    return { rows, skipped, statuses };
  }
  return {
    rows: await page.locator(rowSelector).count(),
    skipped,
    statuses: await page.locator(rowSelector).evaluateAll((els) => [...new Set(els.map((e) => e.dataset.status))].sort()),
  };
}

/** Narrows the open session list to one session by id, so that its row is in view. */
async function showSession(id) {
  await page.getByLabel('Filter', { exact: true }).fill(`id:="${id}"`);
  await page.waitForFunction(() => /^1 of /.test(document.querySelector('.sl-count')?.textContent ?? ''));
}

test('the simulator serves the app, its samples, deep links and config.json on one origin', async () => {
  await page.goto(`${base}/`);
  await page.getByRole('button', { name: 'Try a sample' }).click();
  await page.locator('tr.tl-row').first().waitFor();
  assert.equal(await page.locator('tr.tl-row').count(), 5);
  await page.goto(`${base}/sessions/sample-ekran`);
  await page.locator('[role=row][data-session-id]').first().waitFor();
  assert.equal(await page.locator('[role=row][data-session-id]').count(), 2);
  const config = JSON.parse(await readFile(join(DIST, 'config.json'), 'utf8'));
  assert.deepEqual(config.connections.map((c) => c.kind).sort(), ['ekran', 'mim-pam', 'veeam-aws', 'veeam-em', 'veeam-m365']);
  assert.ok(config.connections.every((c) => c.baseUrl.startsWith('/vendors/')));
  assert.equal(JSON.stringify(config).match(/password"\s*:|token"\s*:|secret/i), null, 'no secrets in config.json');
  assert.deepEqual(problems, []);
});

test('Veeam Backup for AWS responses from the simulator open in the app', async () => {
  const headers = { 'x-api-version': '1.7-rev0' };
  const t = await token('/vendors/aws/api/v1/token', { grant_type: 'password', username: 'admin', password: 'admin' }, headers);
  const auth = { headers: { ...headers, authorization: `Bearer ${t}` } };
  const log = await open(await save('aws-log.json', `/vendors/aws/api/v1/sessions/${AWS_SEED}/log`, auth), 'tr.tl-row');
  assert.deepEqual(log, { rows: 5, skipped: 0, statuses: ['success'] });
  const list = await open(await save('aws-sessions.json', '/vendors/aws/api/v1/sessions?Limit=100', auth), '[role=row][data-session-id]');
  assert.equal(list.rows, 100);
  assert.equal(list.skipped, 0);
  assert.ok(list.statuses.length >= 3, `varied statuses: ${list.statuses}`);
  assert.ok(!list.statuses.includes('unknown'), `every VBA status word is mapped: ${list.statuses}`);
  assert.deepEqual(problems, []);
});

test('Veeam Backup for Microsoft 365 responses from the simulator open in the app', async () => {
  const t = await token('/vendors/m365/v8/token', { grant_type: 'password', username: 'admin', password: 'admin' });
  const auth = { headers: { authorization: `Bearer ${t}` } };
  const items = await open(await save('m365-items.json', `/vendors/m365/v8/JobSessions/${M365_SEED}/LogItems?limit=100`, auth), 'tr.tl-row');
  assert.deepEqual(items, { rows: 5, skipped: 0, statuses: ['success'] });
  const sessions = await open(await save('m365-sessions.json', '/vendors/m365/v8/JobSessions?limit=200', auth), '[role=row][data-session-id]');
  assert.equal(sessions.skipped, 0);
  assert.ok(sessions.rows > 20, `${sessions.rows} job sessions`);
  assert.ok(!sessions.statuses.includes('unknown'), `every M365 job status is mapped: ${sessions.statuses}`);
  assert.deepEqual(problems, []);
});

test('Ekran System sessions from the simulator open in the app, all of them in a bounded list', async () => {
  const auth = { headers: { authorization: 'Bearer ekran-demo-token' } };
  const all = await open(await save('ekran.json', '/vendors/ekran/ekranapi/sessions', auth), '[role=row][data-session-id]');
  assert.equal(all.rows, 1202);
  assert.equal(all.skipped, 0);
  const ranged = await open(await save('ekran-range.json', '/vendors/ekran/ekranapi/sessions?start=2025-08-30&end=2025-08-31T12:00', auth), '[role=row][data-session-id]');
  assert.equal(ranged.skipped, 0);
  assert.deepEqual(problems, []);
});

test('Enterprise Manager (XML and JSON) and PAM responses from the simulator open in the app', async () => {
  const logon = await fetch(`${base}/vendors/em/api/sessionMngr/?v=latest`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
  });
  assert.equal(logon.status, 201);
  const restToken = logon.headers.get('x-restsvcsessionid');
  const em = { headers: { 'x-restsvcsessionid': restToken } };
  // Only the selected logon session's details are shown (issue 14), so wait for the list's rows.
  const xml = await open(await save('em.xml', '/vendors/em/api/logonSessions', em), '[role=row][data-session-id]');
  assert.equal(xml.skipped, 0);
  assert.ok(xml.rows >= 2, `${xml.rows} logon sessions`);
  // A list of logon sessions is also a session list (filter, sort, export), details below.
  assert.equal(await page.locator('[role=row][data-session-id]').count(), xml.rows);
  assert.equal(await page.locator('article.logon').count(), xml.rows);
  assert.deepEqual(xml.statuses, ['ended']);
  const json = await open(
    await save('em.json', '/vendors/em/api/logonSessions', { headers: { ...em.headers, accept: 'application/json' } }),
    '[role=row][data-session-id]',
  );
  assert.deepEqual(json, xml, 'XML and JSON read the same');
  const pam = await open(await save('pam.json', '/vendors/pam/api/pamresources/sessioninfo', { headers: { cookie: 'sim=1' } }), 'article.logon');
  assert.equal(pam.rows, 1);
  assert.equal(await page.locator('article.logon').getAttribute('data-user'), 'FIMCITONEBOXAD\\Jen');
  assert.deepEqual(problems, []);
});

/** The connection card for a configured connection. */
const card = (id) => page.locator(`[data-connection="${id}"]`);

async function logOn(id, user, password) {
  await card(id).getByLabel('User name').fill(user);
  await card(id).getByLabel('Password').fill(password);
  await card(id).getByRole('button', { name: 'Log on' }).click();
}

test('live: log on to Veeam Backup for AWS, list sessions, open a session log', async () => {
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${base}/`);
  await logOn('sim-aws', 'admin', 'admin');
  await card('sim-aws').getByRole('button', { name: 'Open sessions' }).click();
  const rows = page.locator('[role=row][data-session-id]');
  await rows.first().waitFor();
  assert.ok(Number((await page.locator('.sl-count').textContent()).match(/^\d+/)[0]) > 100);
  await showSession(AWS_SEED);
  await page.getByRole('button', { name: `Open the log of session ${AWS_SEED}` }).click();
  await page.locator('tr.tl-row').first().waitFor();
  assert.deepEqual(await page.locator('tr.tl-row').evaluateAll((t) => t.map((r) => r.dataset.durationMs)), ['0', '687', '31', '0', '0']);
  assert.ok(requests.every((u) => !/admin|password|Bearer|token=/i.test(new URL(u).search)), 'no secret in any URL');
  // No credential stored anywhere: only the API version the log-on found (issue 13), in localStorage.
  assert.equal(
    await page.evaluate(() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage)),
    '{"session-viewer.api-version sim-aws veeam-aws /vendors/aws":"1.7-rev0"}{}',
    'no credential stored',
  );
  assert.deepEqual(problems, []);
});

test('live: a wrong password is named, and the form stays usable', async () => {
  await page.goto(`${base}/`);
  await logOn('sim-aws', 'admin', 'wrong');
  const alert = card('sim-aws').getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /did not accept the credentials/);
  await logOn('sim-aws', 'admin', 'admin');
  await card('sim-aws').getByRole('button', { name: 'Open sessions' }).waitFor();
  // The 401 shows in the console as a failed resource load, which is the browser's, not the app's.
  assert.deepEqual(problems.filter((p) => !/^HTTP 401 for /.test(p)), []);
});

test('live: Microsoft 365 job sessions and log items, Enterprise Manager logon sessions', async () => {
  await page.goto(`${base}/`);
  await logOn('sim-m365', 'admin', 'admin');
  await card('sim-m365').getByRole('button', { name: 'Open sessions' }).click();
  // Newest first: open the log of the newest finished job session.
  const finished = page.locator('[role=row][data-status="success"], [role=row][data-status="warning"], [role=row][data-status="failed"]').first();
  await finished.getByRole('button', { name: /^Open the log of session / }).click();
  await page.locator('tr.tl-row').first().waitFor();
  assert.ok((await page.locator('tr.tl-row').count()) > 0);
  assert.equal(await page.locator('details.notice').count(), 0, 'no log item was skipped');
  await page.getByRole('link', { name: 'Session Viewer' }).click();
  await logOn('sim-em', 'admin', 'admin');
  await card('sim-em').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  await page.locator('article.logon').first().waitFor({ state: 'attached' });
  assert.ok((await page.locator('article.logon').count()) >= 2);
  assert.deepEqual(problems, []);
});

test('live: Ekran with a pasted token (a wrong one is named and dropped), PAM with the browser sign-in', async () => {
  await page.goto(`${base}/`);
  await card('sim-ekran').getByLabel('Token').fill('not-the-token');
  await card('sim-ekran').getByRole('button', { name: 'Use token' }).click();
  await card('sim-ekran').getByRole('button', { name: 'Open sessions' }).click();
  await card('sim-ekran').getByRole('alert').waitFor();
  assert.match(await card('sim-ekran').getByRole('alert').textContent(), /did not accept the credentials/);
  // The rejected token is dropped, so the token field is back.
  await card('sim-ekran').getByLabel('Token').fill('ekran-demo-token');
  await card('sim-ekran').getByRole('button', { name: 'Use token' }).click();
  await card('sim-ekran').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();

  // Ekran filters by time on the server: a range change asks it again with start/end.
  const all = Number((await page.locator('.sl-count').textContent()).match(/^\d+/)[0]);
  const first = await page.locator('[role=row][data-session-id] time').first().getAttribute('datetime');
  const day = first.slice(0, 10);
  await page.getByLabel('Times in UTC').check();
  await page.getByLabel('Time range', { exact: true }).selectOption('custom');
  await page.getByLabel('From', { exact: true }).fill(`${day}T00:00:00`);
  await page.getByLabel('To', { exact: true }).fill(`${day}T23:59:59`);
  const [ranged] = await Promise.all([
    page.waitForRequest((r) => r.url().endsWith('/vendors/ekran/ekranapi/sessions') && r.method() === 'POST' && /"start"/.test(r.postData() ?? '')),
    page.getByRole('button', { name: 'Apply range' }).click(),
  ]);
  // The paged POST carries the range in its body, the first page first.
  assert.deepEqual(ranged.postDataJSON(), { pageIndex: 0, sessionCount: 1000, start: `${day}T00:00:00`, end: `${day}T23:59:59` });
  await page.waitForFunction((n) => {
    const m = (document.querySelector('.sl-count')?.textContent ?? '').match(/of (\d+) sessions$/) ?? (document.querySelector('.sl-count')?.textContent ?? '').match(/^(\d+) sessions$/);
    return m && Number(m[1]) < n;
  }, all);
  assert.match(page.url(), /range=/);

  // PAM: the simulator's cookie stands in for Windows sign-in (without it, the browser meets a
  // Negotiate/NTLM challenge and waits on its own sign-in prompt). The app adds no header.
  await page.goto(`${base}/vendors/pam/sim/login`);
  await page.goto(`${base}/`);
  await card('sim-pam').getByRole('button', { name: 'Open sessions' }).click();
  await page.getByRole('heading', { level: 2, name: 'FIMCITONEBOXAD\\Jen' }).waitFor();
  assert.deepEqual(problems.filter((p) => !/^HTTP 401 for /.test(p)), []);
});

test('live: transient failures of a read are retried with backoff, a 404 is not', async () => {
  let calls = 0;
  const pages = [];
  await page.route('**/vendors/ekran/ekranapi/sessions', async (route) => {
    calls += 1;
    pages.push(route.request().postDataJSON()?.pageIndex);
    if (calls <= 2) {
      await route.fulfill({ status: 503, headers: { 'retry-after': '0' }, body: '{"status":503,"error":"Service Unavailable","message":"busy"}' });
    } else {
      await route.continue();
    }
  });
  await page.goto(`${base}/`);
  await card('sim-ekran').getByLabel('Token').fill('ekran-demo-token');
  await card('sim-ekran').getByRole('button', { name: 'Use token' }).click();
  await card('sim-ekran').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  // 1 200 sessions are two pages of the paged POST: the first is asked three times.
  assert.deepEqual(pages, [0, 0, 0, 1], 'two 503s, then the answer, then the next page');
  await page.unroute('**/vendors/ekran/ekranapi/sessions');

  let missing = 0;
  await page.route('**/vendors/ekran/ekranapi/sessions', async (route) => {
    missing += 1;
    await route.fulfill({ status: 404, body: '{"status":404,"error":"Not Found","message":"No such path"}' });
  });
  await page.goto(`${base}/`);
  await card('sim-ekran').getByLabel('Token').fill('ekran-demo-token');
  await card('sim-ekran').getByRole('button', { name: 'Use token' }).click();
  await card('sim-ekran').getByRole('button', { name: 'Open sessions' }).click();
  await card('sim-ekran').getByRole('alert').waitFor();
  assert.match(await card('sim-ekran').getByRole('alert').textContent(), /no such resource.*Ekran System says: “No such path”/);
  assert.equal(missing, 2, 'a 404 is not retried: the paged POST, then the whole-list GET, once each');
  // The server's own response is one click away.
  const raw = card('sim-ekran').getByRole('alert').locator('details.raw');
  await raw.locator('summary').click();
  assert.equal(await raw.locator('pre').textContent(), '{"status":404,"error":"Not Found","message":"No such path"}');
  assert.deepEqual(problems.filter((p) => !/^HTTP (503|404) for /.test(p)), []);
});

test('live: VBA refreshes its token once on ExpiredToken and carries on', async () => {
  const tokenPosts = [];
  // Grants the server accepted: "automatic" first meets the revisions it refuses (400).
  page.on('response', (r) => r.request().method() === 'POST' && r.url().endsWith('/vendors/aws/api/v1/token') && r.status() !== 400 && tokenPosts.push(r.request().postData() ?? ''));
  let expired = 0;
  await page.route('**/vendors/aws/api/v1/sessions?*', async (route) => {
    if (expired++ === 0) {
      await route.fulfill({
        status: 401,
        contentType: 'application/problem+json',
        body: '{"type":"t","title":"Access token has expired.","status":401,"errorCode":"ExpiredToken"}',
      });
    } else {
      await route.continue();
    }
  });
  await page.goto(`${base}/`);
  await logOn('sim-aws', 'admin', 'admin');
  await card('sim-aws').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  assert.equal(expired, 2, 'the list was asked for again after the refresh');
  assert.equal(tokenPosts.length, 2);
  assert.match(tokenPosts[0], /^grant_type=password&/);
  assert.match(tokenPosts[1], /^grant_type=refresh_token&refresh_token=/);
  assert.deepEqual(problems.filter((p) => !/^HTTP 401 for .*\/api\/v1\/sessions/.test(p)), []);
});

test('live: a VBA token about to expire is refreshed before the call', async () => {
  const { process: short, base: shortBase } = await startSim(SIM, ['--dist', DIST, '--aws-token-ttl', '2']);
  try {
    const grants = [];
    page.on('response', (r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/token') && r.status() !== 400 && grants.push((r.request().postData() ?? '').split('&')[0]));
    await page.goto(`${shortBase}/`);
    await logOn('sim-aws', 'admin', 'admin');
    await card('sim-aws').getByRole('button', { name: 'Open sessions' }).waitFor();
    await new Promise((r) => setTimeout(r, 2500)); // the 2 s access token is now expired
    await card('sim-aws').getByRole('button', { name: 'Open sessions' }).click();
    await page.locator('[role=row][data-session-id]').first().waitFor();
    assert.deepEqual(grants, ['grant_type=password', 'grant_type=refresh_token']);
    assert.deepEqual(problems, [], 'no 401 was needed: the refresh came first');
  } finally {
    short.kill();
  }
});

test('live: signing out logs off at Enterprise Manager and Backup for AWS', async () => {
  const deletes = [];
  page.on('response', (r) => r.request().method() === 'DELETE' && deletes.push([new URL(r.url()).pathname, r.status()]));
  await page.goto(`${base}/`);
  for (const id of ['sim-em', 'sim-aws']) {
    await logOn(id, 'admin', 'admin');
    await card(id).getByRole('button', { name: 'Sign out' }).click();
    await card(id).getByRole('button', { name: 'Log on' }).waitFor();
  }
  await until(() => deletes.length === 2);
  assert.equal(deletes.length, 2);
  assert.match(deletes[0][0], /^\/vendors\/em\/api\/logonSessions\/[0-9a-f-]{36}$/);
  assert.equal(deletes[0][1], 204);
  assert.deepEqual(deletes[1], ['/vendors/aws/api/v1/token', 204]);
  assert.equal(await page.getByRole('alert').count(), 0, 'both log-offs confirmed');
  assert.deepEqual(problems, []);
});

/** Waits (up to 5 s) until `check` holds. */
async function until(check) {
  for (let i = 0; i < 50 && !check(); i++) await new Promise((r) => setTimeout(r, 100));
}
