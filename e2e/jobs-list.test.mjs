// End-to-end: "compared with usual" in session lists (issue 16, point 2), from a file and from a
// connection to the simulator, whose generated job histories hold a slow run (75 min against a
// usual 30) and a job that failed its latest 4 runs (sim/tests/jobs.rs). Rows carry `data-job`,
// `data-vs-usual-pct` and `data-slow` (SPEC §3.4); `vs-usual>50%`, `streak>=3` and the Job facet
// filter; the "vs usual" column says "slow" in words.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium, missingConfig, startSim, watch } from './harness.mjs';
import { serveDist } from './server.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = process.env.DIST ?? join(ROOT, 'dist');
const SIM = process.env.SIM ?? join(ROOT, 'target/sim/sv-sim');

const CONFIG = {
  connections: [{ id: 'em', kind: 'veeam-em', label: 'EM', baseUrl: '/vendors/em', auth: 'password' }],
};

let dist;
let server;
let browser;
let page;
let problems;
const sims = [];

before(async () => {
  dist = await mkdtemp(join(tmpdir(), 'sv-jobs-'));
  await cp(DIST, dist, { recursive: true });
  await writeFile(join(dist, 'config.json'), JSON.stringify(CONFIG));
  server = await serveDist(DIST);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  for (const s of sims) s.kill();
  await rm(dist, { recursive: true, force: true });
});

beforeEach(async () => {
  page = await (await browser.newContext({ timezoneId: 'UTC' })).newPage();
  problems = watch(page, { allowResponse: missingConfig });
});

afterEach(async () => {
  await page.context().close();
  assert.deepEqual(problems, []);
});

const rows = () => page.locator('[role=row][data-session-id]');
const filter = () => page.getByLabel('Filter', { exact: true });
const attrs = () =>
  rows().evaluateAll((rs) =>
    rs.map((r) => ({ id: r.dataset.sessionId, status: r.dataset.status, job: r.dataset.job, pct: r.dataset.vsUsualPct, slow: r.dataset.slow, text: r.textContent })),
  );

/** Replaces the filter's text and waits until the list shows `n` rows (a function of the count). */
async function setFilter(text, ok = (n) => n > 0) {
  await filter().fill(text);
  await page.waitForFunction(
    (src) => new Function('n', `return (${src})(n)`)(document.querySelectorAll('[role=row][data-session-id]').length),
    ok.toString(),
  );
}

const BASE = Date.UTC(2021, 3, 1);

/** Ekran sessions (a user's sessions are compared with that user's others): user 1 works 10
 * minutes five times, then 30 (slow: +200 %); user 2 works 20 minutes each time. */
function ekranFile() {
  const out = [];
  let id = 1;
  const add = (user, day, minutes) => {
    const login = BASE + day * 86_400_000 + user * 3_600_000;
    out.push({ clientGuid: `client-${user}`, loginDate: new Date(login).toISOString(), logoutDate: new Date(login + minutes * 60_000).toISOString(), sessionId: id++, userId: user });
  };
  for (let day = 0; day < 5; day++) add(1, day, 10);
  add(1, 5, 30);
  for (let day = 0; day < 6; day++) add(2, day, 20);
  return Buffer.from(JSON.stringify(out));
}

test('from a file: the slow session is marked, found by vs-usual>50%, and the job facet filters', async () => {
  await page.goto(`${server.url}/`);
  await page.locator('input[type=file]').setInputFiles({ name: 'ekran.json', mimeType: 'application/json', buffer: ekranFile() });
  await rows().first().waitFor();
  // The jobs are grouped after the first rows: then the rows carry their comparison.
  const slow = page.locator('[role=row][data-session-id="6"]');
  await page.locator('[role=row][data-session-id="6"][data-vs-usual-pct]').waitFor();
  assert.equal(await slow.getAttribute('data-job'), 'user 1');
  assert.equal(await slow.getAttribute('data-vs-usual-pct'), '+200');
  assert.equal(await slow.getAttribute('data-slow'), '1');
  // The column says it in words, with the rule in the marker's title, not by colour alone.
  const marker = slow.locator('.sl-slow');
  assert.match(await slow.textContent(), /\+200 % ▲ slow/);
  assert.match(await marker.getAttribute('title'), /longer than 90% .* and more than 1\.5 × their median/);
  // Ordinary runs: a percent, no marker; the first runs have too few before them to compare.
  assert.equal(await page.locator('[role=row][data-session-id="10"]').getAttribute('data-vs-usual-pct'), '+0');
  assert.equal(await page.locator('[role=row][data-session-id="10"]').getAttribute('data-slow'), null);
  assert.equal(await page.locator('[role=row][data-session-id="1"]').getAttribute('data-vs-usual-pct'), null);
  assert.equal(await page.locator('[role=row][data-session-id="1"]').getAttribute('data-job'), 'user 1');

  await setFilter('vs-usual>50%', (n) => n === 1);
  const found = await attrs();
  assert.deepEqual(found.map((r) => [r.id, r.slow]), [['6', '1']]);
  assert.ok(Number(found[0].pct) > 50);
  await setFilter('is:slow', (n) => n === 1);
  assert.equal((await attrs())[0].id, '6');
  // Its details say the same in a sentence, the rule in its title.
  await page.locator('[role=row][data-session-id="6"]').click();
  await page.keyboard.press('Enter');
  const vs = page.getByRole('region', { name: 'Session details' }).locator('.sl-vs-usual');
  assert.equal(await vs.textContent(), '30 min: +200% against the usual 10 min (median of 5 runs) — slower than usual.');
  assert.match(await vs.getAttribute('title'), /90th percentile/);
  await page.keyboard.press('Escape');

  // Sorted by the column, most over usual first.
  await setFilter('', (n) => n === 12);
  const column = page.getByRole('columnheader', { name: 'vs usual' });
  await column.getByRole('button').click();
  await column.getByRole('button').click();
  await page.waitForFunction(() => document.querySelector('[role=row][data-session-id]')?.dataset.sessionId === '6');
  assert.match(page.url(), /sort=vs-usual:desc/);

  // The Job facet: a click keeps that job's runs and writes the term.
  await page.getByRole('group', { name: 'Job' }).getByRole('button', { name: /^user 2/ }).click();
  await page.waitForFunction(() => document.querySelectorAll('[role=row][data-session-id]').length === 6);
  assert.ok((await attrs()).every((r) => r.job === 'user 2'));
  assert.equal(await filter().inputValue(), 'job:="user 2"');
});

test('from the simulator: the slow run, the failing job\'s streak and the job facet', async () => {
  const started = await startSim(SIM, ['--dist', dist, '--pam-auth', 'off']);
  sims.push(started.process);
  await page.goto(`${started.base}/`);
  const card = page.locator('[data-connection="em"]');
  await card.getByLabel('User name').fill('admin');
  await card.getByLabel('Password').fill('admin');
  await card.getByRole('button', { name: 'Log on' }).click();
  await card.getByRole('button', { name: 'Open backup sessions' }).click();
  await rows().first().waitFor();
  await page.locator('[role=row][data-vs-usual-pct]').first().waitFor();

  // The steady job's slow run (75 min against 30): marked, and found by the filter.
  await setFilter('vs-usual>50%');
  const slow = await attrs();
  const steady = slow.filter((r) => r.text.includes('prod-ec2-daily'));
  assert.equal(steady.length, 1, JSON.stringify(slow));
  assert.equal(steady[0].slow, '1');
  assert.ok(Number(steady[0].pct) > 50, steady[0].pct);
  assert.ok(slow.every((r) => Number(r.pct) > 50), JSON.stringify(slow));

  // The failing job's runs: its latest 4 failed in a row.
  await setFilter('streak>=3');
  const failing = await attrs();
  const jobs = new Set(failing.map((r) => r.job));
  assert.ok(failing.some((r) => r.text.includes('rds-hourly')), JSON.stringify(failing));
  assert.ok(failing.filter((r) => r.status === 'failed').length >= 4, JSON.stringify(failing));
  assert.ok(!failing.some((r) => r.text.includes('prod-ec2-daily')));

  // The Job facet (counting what is shown) keeps one job's runs. It shows the job's name (a
  // policy's name, as its runs' rows do), not its key (the policy's id).
  const job = [...jobs][0];
  const label = await page.locator(`.facet-group[aria-label=Job] button.facet[data-value="${job}"] .facet-value`).textContent();
  assert.notEqual(label, job, 'the job facet names the job');
  assert.ok(failing.some((r) => r.job === job && r.text.includes(label)), `${label} ${JSON.stringify(failing)}`);
  await page.locator(`.facet-group[aria-label=Job] button.facet[data-value="${job}"]`).click();
  await page.waitForFunction((j) => {
    const rs = [...document.querySelectorAll('[role=row][data-session-id]')];
    return rs.length > 0 && rs.every((r) => r.dataset.job === j);
  }, job);
  assert.equal(await filter().inputValue(), `streak>=3 job:=${job}`);
  await setFilter(`job:=${job}`, (n) => n > 0);
  assert.ok((await attrs()).every((r) => r.job === job));
});
