// Following logon session links inside the app: from a live Enterprise Manager list through its
// own connection, from the vendor's sample through a configured connection of the same kind (after
// logging on), and copy only where no connection can fetch them. Headless Chromium against the
// simulator serving the build.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { launchChromium, startSim, watch } from './harness.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = process.env.DIST ?? join(ROOT, 'dist');
const SIM = process.env.SIM ?? join(ROOT, 'target/sim/sv-sim');
const EM_SEED = '5496707f-c814-47ce-8d6d-110aa03cec03';

let sim;
let base;
let browser;
let page;
let problems;
/** Paths of the EM requests the page made, in order. */
let emCalls;

before(async () => {
  ({ process: sim, base } = await startSim(SIM, ['--dist', DIST]));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  sim?.kill();
});

const withEm = { connections: [{ id: 'em', kind: 'veeam-em', label: 'EM lab', baseUrl: '/vendors/em', auth: 'password' }] };
const withoutEm = { connections: [{ id: 'aws', kind: 'veeam-aws', label: 'AWS', baseUrl: '/vendors/aws', auth: 'password' }] };

async function newPage(config) {
  page = await (await browser.newContext()).newPage();
  problems = watch(page);
  emCalls = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/vendors/em/')) emCalls.push(url.pathname);
  });
  await page.route(`${base}/config.json`, (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(config) }));
}

afterEach(async () => page?.context().close());

const card = (id) => page.locator(`[data-connection="${id}"]`);

async function logOn(id) {
  await card(id).getByLabel('User name').fill('admin');
  await card(id).getByLabel('Password').fill('admin');
  await card(id).getByRole('button', { name: 'Log on' }).click();
}

test('live EM: "Open" on a logon session link fetches it through the connection and shows it', async () => {
  await newPage(withEm);
  await page.goto(`${base}/`);
  await logOn('em');
  await card('em').getByRole('button', { name: 'Open sessions' }).click();
  await page.waitForURL(`${base}/logon/live-em`);
  const cards = page.locator('article.logon');
  assert.ok((await cards.count()) >= 3, 'the simulator lists several logon sessions');
  // Only the link to the logon session itself can be shown here; the reference lists are copy only.
  const second = cards.nth(1);
  // The list above shows one session's details at a time: the one selected in it.
  assert.equal(await cards.filter({ visible: true }).count(), 0);
  await page.locator(`.sl-row[data-session-id="${await second.getAttribute('data-id')}"]`).click();
  await second.waitFor();
  assert.equal(await cards.filter({ visible: true }).count(), 1);
  const id = await second.locator('dd code').first().textContent();
  const user = await second.getAttribute('data-user');
  assert.deepEqual(await second.locator('button[data-follow]').evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label'))), ['Open LogonSession']);
  assert.equal(await second.getByRole('button', { name: /^Copy the address of / }).count(), 6, 'every link can be copied');
  const href = await second.locator('tr', { has: page.locator('button[data-follow]') }).locator('code.href').textContent();
  assert.equal(href, `${base}/vendors/em/api/logonSessions/${id}`, "the server's absolute href");

  await second.getByRole('button', { name: 'Open LogonSession' }).click();
  await page.waitForURL(`${base}/logon/live-em-logon-${id}`);
  await page.getByRole('heading', { level: 1, name: `EM lab: logon session ${id}` }).waitFor();
  assert.equal(await page.locator('article.logon').count(), 1);
  assert.equal(await page.locator('article.logon').getAttribute('data-user'), user);
  // Fetched through the connection's relative base, the path after the API root kept.
  assert.equal(emCalls.at(-1), `/vendors/em/api/logonSessions/${id}`);
  // Back to the list, which is still open.
  await page.goBack();
  await page.waitForURL((url) => url.pathname === '/logon/live-em'); // the selection (?sel=) kept
  await page.locator('article.logon').nth(2).waitFor({ state: 'attached' });
  assert.deepEqual(problems, []);
});

test("the vendor sample's link follows through a configured EM connection, logging on first", async () => {
  await newPage(withEm);
  await page.goto(`${base}/logon/sample-veeam-em`);
  await page.getByText('“Open” fetches through the connection EM lab.').waitFor();
  const open = page.getByRole('button', { name: 'Open LogonSession through EM lab' });
  assert.equal(await page.locator('button[data-follow]').count(), 1, "of the seed's six links, one can be shown");
  await open.click();
  // Not signed in: the connection's log-on form, saying why (nothing ended: nobody logged on),
  // and back to the sample afterwards.
  await card('em').getByText('The page you were on needs this connection. Log on to go back there.').waitFor();
  assert.deepEqual(emCalls, [], 'nothing was sent without credentials');
  await logOn('em');
  await page.waitForURL(`${base}/logon/sample-veeam-em`);
  await open.click();
  await page.waitForURL(`${base}/logon/live-em-logon-${EM_SEED}`);
  assert.equal(await page.locator('article.logon').getAttribute('data-user'), 'ENTERPRISE04\\Administrator');
  // The sample's href names https://localhost:9398; the request went to the connection instead
  // (the watch fails on any request off 127.0.0.1).
  assert.equal(emCalls.at(-1), `/vendors/em/api/logonSessions/${EM_SEED}`);
  assert.deepEqual(problems, []);
});

test('without a connection of its kind, every link of the sample is copy only', async () => {
  await newPage(withoutEm);
  const configRead = page.waitForResponse(`${base}/config.json`);
  await page.goto(`${base}/logon/sample-veeam-em`);
  await page.locator('article.logon').waitFor();
  await configRead;
  await page.waitForTimeout(300); // the details are drawn again once config.json is read
  assert.equal(await page.locator('button[data-follow]').count(), 0);
  assert.equal(await page.getByRole('button', { name: /^Copy the address of / }).count(), 6);
  assert.deepEqual(emCalls, []);
  assert.deepEqual(problems, []);
});
