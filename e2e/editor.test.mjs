// The connection editor (issue #5), in headless Chromium against the simulator with no
// config.json: connections added through the form survive a reload, sign in and open their
// sessions; localStorage holds them without any password or token; "Check connection" gives its
// verdict for a good connection, a wrong base URL, a server that refuses CORS, one that is not
// there and one that never answers; editing and removing; a corrupt stored value is reported and
// the app still works.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { launchChromium, missingConfig, startSim, watch } from './harness.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = process.env.DIST ?? join(ROOT, 'dist');
const SIM = process.env.SIM ?? join(ROOT, 'target/sim/sv-sim');
const KEY = 'session-viewer.connections';

const sims = [];
let base; // the app and its simulator, one origin
let far; // a simulator on another origin with CORS off
let browser;
let page;
let problems;
/** Responses of 400 or more a test expects, as regular expressions on "STATUS URL". */
let expected;

before(async () => {
  const app = await startSim(SIM, ['--dist', DIST, '--ekran-sessions', '300']);
  const other = await startSim(SIM, ['--ekran-sessions', '5']);
  sims.push(app.process, other.process);
  ({ base } = app);
  far = other.base;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  for (const sim of sims) sim.kill();
});

beforeEach(async () => {
  expected = [];
  page = await (await browser.newContext()).newPage();
  problems = watch(page, {
    allowResponse: (r) => missingConfig(r) || expected.some((re) => re.test(`${r.status()} ${r.url()}`)),
  });
  // No config.json (SPEC §3.2: absent = start with the connection editor), whatever dist/ holds.
  await page.route(`${base}/config.json`, (route) => route.fulfill({ status: 404, body: 'not found' }));
});

afterEach(async () => page.context().close());

const card = (id) => page.locator(`[data-connection="${id}"]`);
const editor = () => page.getByRole('form');
/** Everything the page keeps in the browser's storage, as `{ local, session }`. */
const storage = () => page.evaluate(() => ({ local: { ...localStorage }, session: { ...sessionStorage } }));

/** Fills the open editor's fields that are given. */
async function fill({ kind, label, baseUrl, apiVersion, auth, timeout }) {
  const form = editor();
  if (kind) await form.getByLabel('Kind', { exact: true }).selectOption(kind);
  if (label !== undefined) await form.getByLabel('Label', { exact: true }).fill(label);
  if (baseUrl !== undefined) await form.getByLabel('Base URL', { exact: true }).fill(baseUrl);
  if (apiVersion !== undefined) await form.getByLabel('API version', { exact: true }).fill(apiVersion);
  if (auth) await form.getByLabel('Signs in with', { exact: true }).selectOption(auth);
  if (timeout !== undefined) await form.getByLabel('Request time limit (seconds)', { exact: true }).fill(String(timeout));
}

/** Adds a connection through the form; returns its card. */
async function add(fields, id) {
  await page.getByRole('button', { name: 'Add connection' }).click();
  await fill(fields);
  await editor().getByRole('button', { name: 'Add connection' }).click();
  await editor().waitFor({ state: 'detached' });
  await card(id).waitFor();
  return card(id);
}

/** Clicks "Check connection" on a card and returns the verdict's tone and words. */
async function check(id) {
  await card(id).getByRole('button', { name: 'Check connection' }).click();
  const verdict = card(id).locator('.verdict:not(:empty)');
  await verdict.waitFor();
  return { tone: await verdict.getAttribute('data-verdict'), text: (await verdict.textContent()).trim() };
}

async function logOn(id, { keep = false } = {}) {
  await card(id).getByLabel('User name').fill('admin');
  await card(id).getByLabel('Password').fill('admin');
  if (keep) await card(id).getByLabel('Keep me signed in for this tab').check();
  await card(id).getByRole('button', { name: 'Log on' }).click();
  await card(id).getByRole('button', { name: 'Open sessions' }).waitFor();
}

test('without config.json the editor is offered; VBA, Ekran and PAM added through the form survive a reload, sign in and open their sessions; localStorage holds no password or token', async () => {
  await page.goto(`${base}/`);
  await page.getByText('No connections are configured yet: add one here').waitFor();

  // The form offers only what each kind supports.
  await page.getByRole('button', { name: 'Add connection' }).click();
  const auth = editor().getByLabel('Signs in with', { exact: true });
  const offered = () => auth.locator('option:not([disabled])').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(await offered(), ['password', 'token', 'none'], 'VBA: password, token, none');
  assert.ok(await editor().getByLabel('API version', { exact: true }).isVisible(), 'VBA has an API version');
  await fill({ kind: 'ekran' });
  assert.deepEqual(await offered(), ['token', 'none'], 'Ekran: token, none');
  assert.equal(await auth.inputValue(), 'token');
  assert.ok(!(await editor().getByLabel('API version', { exact: true }).isVisible()), 'Ekran has no API version');
  await fill({ kind: 'mim-pam' });
  assert.deepEqual(await offered(), ['token', 'browser', 'none'], 'PAM: browser, token, none');
  assert.match(await editor().locator('#ce-apiVersion-hint').textContent(), /\?v=/);
  await editor().getByRole('button', { name: 'Cancel' }).click();
  await editor().waitFor({ state: 'detached' });

  await add({ kind: 'veeam-aws', label: 'My AWS', baseUrl: '/vendors/aws/', apiVersion: '1.7-rev0', auth: 'password' }, 'my-aws');
  await add({ kind: 'ekran', label: 'My Ekran', baseUrl: '/vendors/ekran', auth: 'token', timeout: 20 }, 'my-ekran');
  await add({ kind: 'mim-pam', label: 'My PAM', baseUrl: '/vendors/pam', apiVersion: '1.0' }, 'my-pam');
  assert.equal(await card('my-aws').getAttribute('data-source'), 'browser');
  assert.match(await card('my-aws').textContent(), /Veeam Backup for AWS · \/vendors\/aws · signs in with user name and password · added in this browser/);

  // A reload keeps them (and their order).
  await page.reload();
  await card('my-pam').waitFor();
  const ids = await page.locator('[data-connection]').evaluateAll((cs) => cs.map((c) => c.dataset.connection));
  assert.deepEqual(ids, ['my-aws', 'my-ekran', 'my-pam']);

  // Sign in, "keep me signed in" ticked, and open the sessions.
  await logOn('my-aws', { keep: true });
  await card('my-ekran').getByLabel('Token').fill('ekran-demo-token');
  await card('my-ekran').getByLabel('Keep me signed in for this tab').check();
  await card('my-ekran').getByRole('button', { name: 'Use token' }).click();
  await card('my-aws').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  await page.goBack();
  await card('my-ekran').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  await page.goBack();
  // PAM through the browser's own sign-in (the simulator's cookie stands in for Windows).
  await page.goto(`${base}/vendors/pam/sim/login`);
  await page.goto(`${base}/`);
  await card('my-pam').getByRole('button', { name: 'Open sessions' }).click();
  await page.locator('article.logon').first().waitFor();

  // The raw storage: the connections in localStorage, the kept tokens in sessionStorage only.
  const { local, session } = await storage();
  assert.deepEqual(Object.keys(local), [KEY]);
  const raw = local[KEY];
  const secrets = session['session-viewer.credentials'].split('\n').flatMap((line) => line.split('\t').slice(2)).filter((f) => f.length > 3);
  assert.ok(secrets.length >= 3, 'a VBA grant (access, refresh) and the Ekran token are kept for the tab');
  for (const secret of [...secrets, 'admin', 'ekran-demo-token']) assert.ok(!raw.includes(secret), `no ${secret.slice(0, 8)}… in localStorage`);
  assert.doesNotMatch(raw, /password"\s*:|token"\s*:|secret|credential|bearer/i);
  const stored = JSON.parse(raw);
  assert.equal(stored.version, 1);
  assert.deepEqual(stored.connections[0], {
    id: 'my-aws', kind: 'veeam-aws', label: 'My AWS', baseUrl: '/vendors/aws', apiVersion: '1.7-rev0', auth: 'password', timeoutSeconds: 30,
  });
  assert.deepEqual(stored.connections[1], { id: 'my-ekran', kind: 'ekran', label: 'My Ekran', baseUrl: '/vendors/ekran', auth: 'token', timeoutSeconds: 20 });
  assert.deepEqual(stored.connections[2], { id: 'my-pam', kind: 'mim-pam', label: 'My PAM', baseUrl: '/vendors/pam', apiVersion: '1.0', auth: 'browser', timeoutSeconds: 30 });
  assert.deepEqual(problems, []);
});

test('each problem is said beside its field, the first field is focused, and nothing is saved until all are fixed', async () => {
  await page.goto(`${base}/`);
  await page.getByRole('button', { name: 'Add connection' }).click();
  await fill({ kind: 'veeam-aws', label: 'Bad\tlabel', baseUrl: 'javascript:alert(1)', apiVersion: 'latest', timeout: 'abc' });
  await editor().getByRole('button', { name: 'Add connection' }).click();
  const error = (name) => editor().locator(`#ce-${name}-error`);
  await error('baseUrl').waitFor();
  assert.equal(await error('baseUrl').textContent(), 'Its baseUrl “javascript:alert(1)” must start with / or http(s)://.');
  assert.match(await error('label').textContent(), /control characters/);
  assert.match(await error('apiVersion').textContent(), /“latest” is not a Veeam Backup for AWS revision such as 1\.0-rev0/);
  assert.match(await error('timeoutSeconds').textContent(), /“abc” must be a whole number of seconds from 1 to 600/);
  assert.equal(await editor().getByLabel('Base URL', { exact: true }).getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.name), 'label', 'the first field with a problem has the focus');
  // The problem is the field's description, so a screen reader says it with the field.
  assert.match(await editor().getByLabel('Base URL', { exact: true }).getAttribute('aria-describedby'), /ce-baseUrl-error/);

  for (const [url, words] of [
    ['//evil.example/x', /single \//],
    ['https://user:pass@vba.example', /user name or password/],
    ['/vendors/aws?token=x', /query/],
  ]) {
    await fill({ label: 'AWS', apiVersion: '', timeout: '30', baseUrl: url });
    await editor().getByRole('button', { name: 'Add connection' }).click();
    await page.waitForFunction((w) => new RegExp(w).test(document.querySelector('#ce-baseUrl-error')?.textContent ?? ''), words.source);
    assert.equal(await error('label').textContent(), '', 'a fixed field loses its problem');
  }
  assert.equal((await storage()).local[KEY], undefined, 'nothing saved');

  await fill({ baseUrl: '/vendors/aws' });
  await editor().getByRole('button', { name: 'Add connection' }).click();
  await card('aws').waitFor();
  // A second connection with the same label gets an id of its own.
  await add({ kind: 'veeam-aws', label: 'AWS', baseUrl: '/vendors/aws' }, 'aws-2');
  assert.deepEqual(problems, []);
});

test('"Check connection": connected, asks for a log-on, wrong base URL, CORS refused, nothing there, no answer in time', async () => {
  await page.goto(`${base}/`);
  await add({ kind: 'veeam-aws', label: 'AWS', baseUrl: '/vendors/aws' }, 'aws');
  await add({ kind: 'ekran', label: 'Wrong', baseUrl: '/vendors/nowhere', auth: 'none' }, 'wrong');
  await add({ kind: 'ekran', label: 'Far', baseUrl: `${far}/vendors/ekran`, auth: 'token' }, 'far');
  await add({ kind: 'ekran', label: 'Gone', baseUrl: '/vendors/gone', auth: 'token' }, 'gone');
  await add({ kind: 'ekran', label: 'Slow', baseUrl: '/vendors/ekran', auth: 'token', timeout: 2 }, 'slow');
  // What the checks meet: no log-on yet, nothing at that path, and (while the request hangs) the
  // simulator's 401 to a check that sends no token.
  expected.push(
    /^401 .*\/vendors\/aws\/api\/v1\/sessions\?Offset=0&Limit=1\b/,
    /^404 .*\/vendors\/nowhere\//,
    new RegExp(`^401 ${far}/`),
    /^401 .*\/vendors\/ekran\/ekranapi\/sessions$/,
  );

  assert.deepEqual(await check('aws'), { tone: 'reachable', text: 'Reachable: Veeam Backup for AWS asks for a log-on.' });
  await logOn('aws');
  const good = await check('aws');
  assert.equal(good.tone, 'connected');
  // The server's totalCount (300 generated sessions and the vendor pages' own examples).
  assert.match(good.text, /^Connected: Veeam Backup for AWS answered, 30\d sessions\.$/);

  assert.deepEqual(await check('wrong'), {
    tone: 'failed',
    text: 'Something answers at this address, but not as Ekran System: check the base URL.',
  });

  const blocked = await check('far');
  assert.equal(blocked.tone, 'failed');
  assert.equal(
    blocked.text,
    "The browser blocked a cross-origin call: Ekran System sends no CORS headers that allow this page's origin. " +
      'Serve the app and the API from one origin through a reverse proxy (README: “Deploying behind a reverse proxy”).',
  );

  await page.route('**/vendors/gone/**', (route) => route.abort('connectionrefused'));
  assert.deepEqual(await check('gone'), {
    tone: 'failed',
    text: 'Ekran System could not be reached (the server is down, or the address is wrong).',
  });

  // A check is one request within the connection's own time limit (2 s here), and never retried.
  let sent = 0;
  await page.route('**/vendors/ekran/ekranapi/sessions*', async (route) => {
    sent += 1;
    await route.continue({ headers: { ...route.request().headers(), 'x-sim-fault': 'hang' } });
  });
  const started = Date.now();
  const slow = await check('slow');
  assert.equal(slow.tone, 'failed');
  assert.match(slow.text, /^Ekran System sent no complete answer within 2 s, so the request was stopped \(timed out\)\./);
  assert.ok(Date.now() - started < 6000);
  assert.equal(sent, 1);
  // Not signed in, a check sends no credentials at all, and never another connection's.
  await page.unroute('**/vendors/ekran/ekranapi/sessions*');
  let authorization = 'unset';
  await page.route('**/vendors/ekran/ekranapi/sessions*', async (route) => {
    authorization = route.request().headers().authorization;
    await route.continue();
  });
  await card('far').getByLabel('Token').fill('ekran-demo-token');
  await card('far').getByRole('button', { name: 'Use token' }).click();
  assert.deepEqual(await check('slow'), { tone: 'reachable', text: 'Reachable: Ekran System asks for a log-on.' });
  assert.equal(authorization, undefined);
  // Chromium reports the refusal in the console itself; that line is the browser's, not the app's.
  assert.deepEqual(problems.filter((p) => !/blocked by CORS policy/.test(p)), []);
});

test('editing and removing: a new label keeps the log-on, a new address forgets it, removing forgets it too', async () => {
  await page.goto(`${base}/`);
  await add({ kind: 'ekran', label: 'Ekran', baseUrl: '/vendors/ekran', auth: 'token' }, 'ekran');
  await add({ kind: 'veeam-m365', label: 'M365', baseUrl: '/vendors/m365' }, 'm365');
  await card('ekran').getByLabel('Token').fill('ekran-demo-token');
  await card('ekran').getByLabel('Keep me signed in for this tab').check();
  await card('ekran').getByRole('button', { name: 'Use token' }).click();

  // Only the label: still signed in.
  await card('ekran').getByRole('button', { name: 'Edit' }).click();
  assert.equal(await editor().getByLabel('Base URL', { exact: true }).inputValue(), '/vendors/ekran', 'the form holds the connection');
  assert.equal(await editor().getByLabel('Kind', { exact: true }).inputValue(), 'ekran');
  await fill({ label: 'Ekran (renamed)' });
  await editor().getByRole('button', { name: 'Save changes' }).click();
  await card('ekran').getByRole('heading', { name: 'Ekran (renamed)' }).waitFor();
  await card('ekran').getByRole('button', { name: 'Open sessions' }).waitFor();

  // The address: the token belonged to the old one, so it is forgotten.
  await card('ekran').getByRole('button', { name: 'Edit' }).click();
  await fill({ baseUrl: `${base}/vendors/ekran` });
  await editor().getByRole('button', { name: 'Save changes' }).click();
  await card('ekran').getByLabel('Token').waitFor();
  assert.equal((await storage()).session['session-viewer.credentials'], undefined);
  assert.equal(JSON.parse((await storage()).local[KEY]).connections[0].baseUrl, `${base}/vendors/ekran`);

  // Removing: the card, the stored entry and the credentials go.
  await card('ekran').getByLabel('Token').fill('ekran-demo-token');
  await card('ekran').getByLabel('Keep me signed in for this tab').check();
  await card('ekran').getByRole('button', { name: 'Use token' }).click();
  await card('ekran').getByRole('button', { name: 'Remove' }).click();
  await card('ekran').waitFor({ state: 'detached' });
  const after = await storage();
  assert.deepEqual(JSON.parse(after.local[KEY]).connections.map((c) => c.id), ['m365']);
  assert.deepEqual(after.session, {});
  await page.reload();
  await card('m365').waitFor();
  assert.equal(await card('ekran').count(), 0);
  await card('m365').getByRole('button', { name: 'Remove' }).click();
  await page.getByText('No connections are configured yet').waitFor();
  assert.deepEqual((await storage()).local, {}, 'nothing left behind');
  assert.deepEqual(problems, []);
});

test('config.json connections are marked as such, cannot be edited, keep their state while others are added, and their ids are never reused', async () => {
  await page.unroute(`${base}/config.json`);
  const config = { connections: [{ id: 'ekran', kind: 'ekran', label: 'Ekran (config)', baseUrl: '/vendors/ekran', auth: 'none' }] };
  await page.route(`${base}/config.json`, (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(config) }));
  expected.push(/^401 .*\/vendors\/ekran\/ekranapi\/sessions$/);
  await page.goto(`${base}/`);
  assert.equal(await card('ekran').getAttribute('data-source'), 'config');
  assert.match(await card('ekran').textContent(), /from config\.json/);
  assert.equal(await card('ekran').getByRole('button', { name: 'Edit' }).count(), 0);
  assert.equal(await card('ekran').getByRole('button', { name: 'Remove' }).count(), 0);
  // "none": the proxy would authenticate; the simulator asks for its token.
  assert.deepEqual(await check('ekran'), { tone: 'reachable', text: 'Reachable: Ekran System asks for a log-on.' });
  // Same label, so the same id would come first: the editor's connection gets another.
  await add({ kind: 'ekran', label: 'Ekran', baseUrl: '/vendors/ekran' }, 'ekran-2');
  assert.equal(await card('ekran').locator('.verdict').textContent(), 'Reachable: Ekran System asks for a log-on.', 'the config card kept its verdict');
  assert.deepEqual(problems, []);
});

for (const [what, value, words] of [
  ['a corrupt', '{"version":1,"connections":[{"id":', /cannot be read/],
  ['a foreign', '{"version":7,"connections":[]}', /saved in format 7/],
  ['a tampered', '{"version":1,"connections":[{"id":"x","kind":"ekran","baseUrl":"javascript:alert(1)","token":"t"}]}', /saved connection 1 is ignored: its baseUrl “javascript:alert\(1\)” must start with/],
]) {
  test(`${what} stored value is reported and ignored, and the app still works`, async () => {
    await page.goto(`${base}/`);
    await page.evaluate(([key, v]) => localStorage.setItem(key, v), [KEY, value]);
    await page.reload();
    const notice = page.locator('[data-saved-problem]');
    await notice.waitFor();
    assert.match(await notice.textContent(), words);
    assert.equal(await page.locator('[data-connection]').count(), 0);
    // The rest of the app works: a sample opens, and a connection can be added, which replaces the value.
    await page.getByRole('button', { name: 'Try a sample' }).click();
    await page.locator('tr.tl-row').first().waitFor();
    await page.goBack();
    await add({ kind: 'ekran', label: 'Ekran', baseUrl: '/vendors/ekran' }, 'ekran');
    assert.equal(await notice.count(), 0);
    assert.deepEqual(JSON.parse((await storage()).local[KEY]).connections.map((c) => c.id), ['ekran']);
    assert.deepEqual(problems, []);
  });
}
