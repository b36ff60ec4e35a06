// A night's overview and a job's view (issue 16, points 1 and 4), against the simulator's job
// history (sim/tests/jobs.rs): Enterprise Manager's `rds-hourly` failed its last 4 runs, and
// `prod-ec2-daily`'s newest run took 75 min against its usual 30. Lists opened from a saved file
// and from a connection; the simulator's data ends now (`--anchor now`, as the demo runs it), or
// at its fixed default instant (then the overview counts back from the list's newest session).
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium, startSim, watch } from './harness.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = process.env.DIST ?? join(ROOT, 'dist');
const SIM = process.env.SIM ?? join(ROOT, 'target/sim/sv-sim');
const CONFIG = { connections: [{ id: 'em', kind: 'veeam-em', label: 'EM', baseUrl: '/vendors/em', auth: 'password' }] };

let dist;
let dir;
let browser;
let page;
let problems;
const sims = [];

async function sim(...args) {
  const started = await startSim(SIM, ['--dist', dist, ...args]);
  sims.push(started.process);
  return started.base;
}

before(async () => {
  dist = await mkdtemp(join(tmpdir(), 'sv-jobs-'));
  dir = await mkdtemp(join(tmpdir(), 'sv-jobs-files-'));
  await cp(DIST, dist, { recursive: true });
  await writeFile(join(dist, 'config.json'), JSON.stringify(CONFIG));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  for (const s of sims) s.kill();
  await rm(dist, { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  page = await (await browser.newContext()).newPage();
  problems = watch(page);
});

afterEach(async () => {
  await page.context().close();
  assert.deepEqual(problems, []);
});

/** EM's backup sessions, saved as a file the way a user would. */
async function saveBackupSessions(base, name) {
  const logon = await fetch(`${base}/vendors/em/api/sessionMngr/?v=latest`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
  });
  assert.equal(logon.status, 201);
  const res = await fetch(`${base}/vendors/em/api/backupSessions?format=Entity`, {
    headers: { 'x-restsvcsessionid': logon.headers.get('x-restsvcsessionid'), accept: 'application/json' },
  });
  assert.equal(res.status, 200);
  const file = join(dir, name);
  await writeFile(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

/** Opens `file` from the home page, then comes back home (in the app: the file stays open). */
async function openThenHome(base, file) {
  await page.goto(`${base}/`);
  await page.getByLabel('Open file').setInputFiles(file);
  await page.locator('[role=row][data-session-id]').first().waitFor();
  await page.getByRole('link', { name: 'Session Viewer' }).click();
  await page.locator('#night-heading').waitFor();
}

const overviewRow = (name) => page.locator('table.night tr[data-job]').filter({ has: page.getByRole('link', { name, exact: true }) });

test('the overview of the last 24 hours: the failing job first with its streak, the slow job, each one click from its view', async () => {
  const base = await sim('--anchor', 'now');
  await openThenHome(base, await saveBackupSessions(base, 'em-backup-sessions.json'));
  const panel = page.locator('section[aria-labelledby=night-heading]');
  assert.match(await panel.locator('h3').first().textContent(), /the 24 hours up to now/);
  const rows = panel.locator('tr[data-job]');
  const first = rows.first();
  assert.equal(await first.getAttribute('data-status'), 'failed');
  const failing = overviewRow('rds-hourly');
  assert.ok(Number(await failing.getAttribute('data-streak')) >= 4, 'a streak of at least 4');
  assert.equal(await first.getAttribute('data-job'), await failing.getAttribute('data-job'), 'the longest failing streak first');
  // Worst first: no failed row after a non-failed one.
  const statuses = await rows.evaluateAll((rs) => rs.map((r) => r.dataset.status));
  assert.deepEqual(statuses, [...statuses].sort((a, b) => (a === 'failed' ? 0 : a === 'warning' ? 1 : 2) - (b === 'failed' ? 0 : b === 'warning' ? 1 : 2)));
  const slow = overviewRow('prod-ec2-daily');
  assert.equal(await slow.getAttribute('data-slow'), '1');
  assert.ok(Number(await slow.getAttribute('data-vs-usual-pct')) >= 100, 'about +150 %');

  // The failing job's view: its streak in words, its usual, and Back returns to the overview.
  await failing.getByRole('link').click();
  await page.waitForURL(/\/job\/file-0\?key=/);
  const streak = page.locator('.job-streak');
  assert.match(await streak.textContent(), /^Failed 4 runs in a row since /);
  assert.match(await streak.locator('time').getAttribute('datetime'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  assert.equal(await page.locator('h1').textContent(), 'rds-hourly');
  await page.goBack();
  await page.locator('#night-heading').waitFor();
  assert.ok(await overviewRow('rds-hourly').count());

  // The slow job's view: median and 90th percentile of its usual 30 min, one slow run marked.
  await overviewRow('prod-ec2-daily').getByRole('link').click();
  await page.locator('.job-bar').first().waitFor();
  const median = Number(await page.locator('[data-median-ms]').getAttribute('data-median-ms'));
  const p90 = Number(await page.locator('[data-p90-ms]').getAttribute('data-p90-ms'));
  assert.ok(median >= 29 * 60000 && median <= 31 * 60000, `median ${median}`);
  assert.ok(p90 >= median && p90 <= 75 * 60000, `p90 ${p90}`);
  const slowBars = page.locator('.job-bar[data-slow="1"]');
  assert.equal(await slowBars.count(), 1);
  assert.equal(await page.locator('.job-bar').last().getAttribute('data-slow'), '1', 'the newest run is the slow one');
  // Bars are sized through the CSSOM (no style attribute), in proportion to their durations.
  const heights = await page.locator('.job-bar').evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect().height));
  assert.ok(heights.at(-1) > 2 * heights[0], `${heights}`);
  // The text alternative: every bar says its run in words, the slow one so.
  assert.equal(await page.locator('.job-bars').getAttribute('role'), 'group');
  assert.ok((await page.locator('.job-bar').first().getAttribute('aria-label')).includes('Success'));
  assert.match(await slowBars.getAttribute('aria-label'), /% against usual\), slower than usual/);
  // Its runs as a session list: the list itself, filtered by the job, the slow run marked there.
  const bars = await page.locator('.job-bar').count();
  const key = new URL(page.url()).searchParams.get('key');
  await page.getByRole('link', { name: `All ${bars} runs in the session list` }).click();
  await page.waitForURL((u) => u.pathname.endsWith('/sessions/file-0') && /^job:="?/.test(u.searchParams.get('q') ?? ''));
  await page.waitForFunction((n) => document.querySelector('.sl-count')?.textContent.startsWith(`${n} of `), bars);
  const jobsShown = await page.locator('[role=row][data-session-id]').evaluateAll((rs) => rs.map((r) => r.dataset.job));
  assert.deepEqual(jobsShown, Array(bars).fill(key));
  assert.equal(await page.locator('[role=row][data-slow="1"]').count(), 1);
  await page.goBack();
  await page.locator('.job-bar').first().waitFor();

  // Keyboard: every run is a link in the tab order, oldest first; Enter opens the run in its list.
  for (let i = 0; i < 40 && !(await page.evaluate(() => document.activeElement?.classList.contains('job-bar'))); i++) {
    await page.keyboard.press('Tab');
  }
  const focused = () => page.evaluate(() => document.activeElement?.dataset.sessionId);
  const ids = await page.locator('.job-bar').evaluateAll((bs) => bs.map((b) => b.dataset.sessionId));
  assert.equal(await focused(), ids[0]);
  await page.keyboard.press('Tab');
  assert.equal(await focused(), ids[1]);
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname.endsWith('/sessions/file-0') && u.searchParams.get('sel') === ids[1]);
  await page.locator('[role=row][data-session-id]').first().waitFor();
  await page.goBack();
  await page.locator('.job-bar').first().waitFor();
  await page.goBack();
  await page.locator('#night-heading').waitFor();
});

test('a list whose sessions are all older than a day: the 24 hours up to its newest session', async () => {
  const base = await sim();
  await openThenHome(base, await saveBackupSessions(base, 'em-old.json'));
  const heading = page.locator('section[aria-labelledby=night-heading] h3').first();
  assert.match(await heading.textContent(), /the 24 hours up to its newest session/);
  assert.ok(await heading.locator('time[datetime]').count());
  assert.ok(Number(await overviewRow('rds-hourly').getAttribute('data-streak')) >= 4);
});

test('from a list loaded from a connection: the session details link to the job history', async () => {
  const base = await sim('--anchor', 'now');
  await page.goto(`${base}/`);
  const card = page.locator('[data-connection="em"]');
  await card.getByLabel('User name').fill('admin');
  await card.getByLabel('Password').fill('admin');
  await card.getByRole('button', { name: 'Log on' }).click();
  await card.getByRole('button', { name: 'Open backup sessions' }).click();
  await page.locator('[role=row][data-session-id]').first().waitFor();
  // Select a session and open its details (Enter on the grid), then follow "Job history".
  await page.getByLabel('Filter', { exact: true }).fill('status:failed');
  await page.waitForFunction(() => /^\d+ of /.test(document.querySelector('.sl-count')?.textContent ?? ''));
  await page.locator('[role=row][data-session-id]').first().click();
  await page.keyboard.press('Enter');
  const link = page.getByRole('link', { name: 'Job history' });
  await link.waitFor();
  await link.click();
  await page.waitForURL(/\/job\/[^/?]+\?key=/);
  await page.locator('.job-bar').first().waitFor();
  assert.ok(await page.locator('.job-facts').count());
  // The overview on the home page counts this list too.
  await page.getByRole('link', { name: 'Session Viewer' }).click();
  assert.ok(Number(await overviewRow('rds-hourly').getAttribute('data-streak')) >= 4);
});
