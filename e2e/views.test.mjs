// The views looked at, not only asserted (issue 14): the demo's data, the list's time axis and
// columns, the timeline's ticks, Enterprise Manager's logon sessions and the home page, each at
// 1400 and 1024 px, with the geometry a person would see checked (no overlapping tick labels,
// no cut-off time in a list row, nothing wider than the window) and screenshots of each view,
// light and dark, saved under test-results/screenshots/ (CI keeps them as artifacts).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium, startSim, watch } from './harness.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = process.env.DIST ?? join(ROOT, 'dist');
const SIM = process.env.SIM ?? join(ROOT, 'target/sim/sv-sim');
export const SHOTS = join(ROOT, 'test-results/screenshots');
const WIDTHS = [1400, 1024];
const HEIGHT = 900;
const DAY = 86_400_000;

let sim;
let base;
let browser;
let dir;
let config;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sv-views-'));
  await mkdir(SHOTS, { recursive: true });
  // The tests' simulator keeps its fixed anchor (2025-09-01), so its data is the same every run.
  ({ process: sim, base } = await startSim(SIM, ['--dist', DIST, '--write-config', join(dir, 'config.json'), '--pam-auth', 'off']));
  config = await readFile(join(dir, 'config.json'), 'utf8');
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  sim?.kill();
  await rm(dir, { recursive: true, force: true });
});

/** A page `width` px wide with the simulator's five connections, and its watch. */
async function open(width) {
  const context = await browser.newContext({ viewport: { width, height: HEIGHT }, timezoneId: 'Europe/Berlin' });
  const page = await context.newPage();
  const problems = watch(page);
  await page.route(`${base}/config.json`, (route) => route.fulfill({ contentType: 'application/json', body: config }));
  return { page, problems, close: () => context.close() };
}

/** Saves the page, light and dark, as `name-{light,dark}-width.png`, and checks what is true of
 * every view: nothing wider than the window, in either scheme. */
async function look(page, name) {
  const width = page.viewportSize().width;
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: join(SHOTS, `${name}-${colorScheme}-${width}.png`), fullPage: true });
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth }));
    assert.ok(scrollWidth <= innerWidth, `${name} at ${width} px (${colorScheme}): the page is ${scrollWidth} px wide`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

const card = (page, id) => page.locator(`[data-connection="${id}"]`);

async function logOn(page, id) {
  await card(page, id).getByLabel('User name').fill('admin');
  await card(page, id).getByLabel('Password').fill('admin');
  await card(page, id).getByRole('button', { name: 'Log on' }).click();
  await card(page, id).getByRole('button', { name: /^Open / }).first().waitFor();
}

/** Pairs of tick labels closer than `gap` px (or overlapping), as their texts, and labels that
 * reach past their axis (cut off by the next column). */
const crowdedTicks = (page, gap) =>
  page.locator('.tl-tick').evaluateAll((ticks, gap) => {
    const r = ticks.map((t) => [t.textContent, t.getBoundingClientRect()]);
    const axis = ticks[0]?.parentElement.getBoundingClientRect();
    const past = r.flatMap(([text, b]) => (b.right > axis.right + 1 || b.left < axis.left - 1 ? [`${text} past the axis`] : []));
    return r.slice(1).flatMap(([text, b], i) => (r[i][1].right + gap > b.left ? [`${r[i][0]}|${text}`] : [])).concat(past);
  }, gap);

/** List cells holding a time or an id whose text does not fit (cut off with an ellipsis). */
const cutCells = (page) =>
  page.locator('.sl-body .sl-c:has(time), .sl-body .sl-c:has(code)').evaluateAll((cells) =>
    cells.filter((c) => c.scrollWidth > c.clientWidth).map((c) => c.textContent),
  );

const headers = (page) => page.locator('.sl-head [role=columnheader]').allTextContents();

test('the demo (scripts/demo.sh) generates data that ends now: running sessions run now, not "454 d" ago', async () => {
  const demo = await readFile(join(ROOT, 'scripts/demo.sh'), 'utf8');
  // The simulator's flags as the demo passes them, but on a free port and without writing into dist/.
  const line = demo.slice(demo.indexOf('exec target/sim/sv-sim')).split('\n').slice(0, 2).join(' ').replaceAll('\\', ' ');
  const flags = line.split(/\s+/).slice(2).filter(Boolean);
  const args = [];
  for (let i = 0; i < flags.length; i++) {
    if (['--port', '--dist', '--write-config'].includes(flags[i])) i++;
    else args.push(flags[i]);
  }
  const { process: demoSim, base: demoBase } = await startSim(SIM, args);
  try {
    const res = await fetch(`${demoBase}/vendors/ekran/ekranapi/sessions`, { headers: { Authorization: 'Bearer ekran-demo-token' } });
    assert.equal(res.status, 200);
    const sessions = await res.json();
    const latest = Math.max(...sessions.map((s) => Date.parse(s.loginDate)));
    assert.ok(Date.now() - latest < DAY, `the newest demo session started ${new Date(latest).toISOString()}`);
    assert.ok(sessions.some((s) => s.logoutDate === null), 'some sessions are still running');
  } finally {
    demoSim.kill();
  }
});

/** Ekran sessions: 300 over the 30 days before `end`, one every 2.4 h, and `old` from years before. */
function withOutliers(end, old) {
  const sessions = [];
  for (let i = 0; i < 300; i++) {
    const login = end - 30 * DAY + i * 0.1 * DAY;
    sessions.push({ clientGuid: `client-${i % 7}`, loginDate: new Date(login).toISOString(), logoutDate: new Date(login + 3_600_000 * (1 + (i % 5))).toISOString(), sessionId: i + 1, userId: i % 9 });
  }
  for (const [k, year] of old.entries()) {
    const login = Date.UTC(year, 5, 20);
    sessions.push({ clientGuid: 'example', loginDate: new Date(login).toISOString(), logoutDate: new Date(login + 3_600_000).toISOString(), sessionId: 1000 + k, userId: 1 });
  }
  return sessions;
}

test('a few far outliers do not flatten the histogram: it shows the bulk, says what it leaves out, and shows it on request', async () => {
  const { page, problems, close } = await open(1400);
  try {
    await page.goto(`${base}/`);
    // Ending now, so that times carry their "… ago" (the widest a time cell gets).
    const sessions = withOutliers(Math.floor(Date.now() / 1000) * 1000, [2017, 2020, 2020]);
    await page.getByLabel('Open file').setInputFiles({ name: 'outliers.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(sessions)) });
    await page.locator('.sl-body .sl-row').first().waitFor();
    const caption = page.locator('.sl-hist figcaption');
    const year = new Date().getFullYear();
    assert.match(await caption.textContent(), new RegExp(`^${year - 1}|^${year}`), 'the chart starts with the bulk');
    assert.match(await caption.textContent(), /Not shown in the chart: 3 sessions before \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    // The bulk spreads across the chart instead of crowding into its right edge.
    const filled = await page.locator('.sl-bucket:has(.sl-seg)').count();
    const buckets = await page.locator('.sl-bucket').count();
    assert.ok(filled > buckets * 0.5, `${filled} of ${buckets} bars drawn`);
    assert.deepEqual(await cutCells(page), []);
    await look(page, 'session-list-outliers');
    await caption.getByRole('button', { name: 'Show the whole span' }).click();
    await page.waitForFunction(() => /^2017-06-20/.test(document.querySelector('.sl-hist figcaption').textContent));
    assert.doesNotMatch(await caption.textContent(), /Not shown/);
    assert.match(await page.locator('.sl-count').textContent(), /^303 sessions$/);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('session list: columns no row fills are hidden, times and ids fit, and columns can be chosen (kept per list)', async () => {
  for (const width of WIDTHS) {
    const { page, problems, close } = await open(width);
    try {
      await page.goto(`${base}/`);
      await logOn(page, 'sim-aws');
      await card(page, 'sim-aws').getByRole('button', { name: 'Open sessions' }).click();
      await page.locator('.sl-body .sl-row').first().waitFor();
      // VBA sessions have no user and no host; their policies' runs have a usual to compare with.
      const shown = await headers(page);
      assert.deepEqual(shown, ['Status', 'Session', 'Started', 'Ended', 'Duration', 'Type / name', 'Log', 'vs usual'], `at ${width} px`);
      assert.deepEqual(await cutCells(page), [], `at ${width} px`);
      await look(page, 'session-list');
      // Chosen: the User column back, and it stays for this list after a reload.
      await page.locator('.sl-columns summary').click();
      assert.equal(await page.locator('.sl-columns').getByLabel('User (empty)').isChecked(), false);
      await page.locator('.sl-columns').getByLabel('User (empty)').check();
      await page.locator('.sl-head [role=columnheader]', { hasText: 'User' }).waitFor();
      assert.equal((await headers(page)).length, 9);
      assert.equal(await page.locator('.sl-body .sl-row').first().locator('[role=gridcell]').count(), 9);
      // Opened again (a new page load: the choice is in localStorage, nothing else is).
      await page.goto(`${base}/`);
      await logOn(page, 'sim-aws');
      await card(page, 'sim-aws').getByRole('button', { name: 'Open sessions' }).click();
      await page.locator('.sl-body .sl-row').first().waitFor();
      assert.ok((await headers(page)).includes('User'), 'remembered');
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  }
});

test('Ekran list: every column with data shown, times and ids whole, at both widths', async () => {
  for (const width of WIDTHS) {
    const { page, problems, close } = await open(width);
    try {
      await page.goto(`${base}/`);
      await card(page, 'sim-ekran').getByLabel('Token').fill('ekran-demo-token');
      await card(page, 'sim-ekran').getByRole('button', { name: 'Use token' }).click();
      await card(page, 'sim-ekran').getByRole('button', { name: 'Open sessions' }).click();
      await page.locator('.sl-body .sl-row').first().waitFor();
      assert.ok((await headers(page)).includes('User'));
      assert.deepEqual(await cutCells(page), [], `at ${width} px`);
      await look(page, 'session-list-ekran');
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  }
});

/** The grid's sideways overflow and where its last column ends past the grid's right edge (both
 * 0 or less when every shown column fits), and the cut times and ids. */
const fit = (page) =>
  page.locator('.sl-grid').evaluate((g) => {
    const last = [...g.querySelectorAll('.sl-head [role=columnheader]')].pop();
    // A time's two lines (the clock over its zone and "… ago") inside their row's 32 px.
    const tall = [...g.querySelectorAll('.sl-body .sl-t')].filter((t) => {
      const [b, r] = [t.getBoundingClientRect(), t.closest('[role=row]').getBoundingClientRect()];
      return b.top < r.top - 0.5 || b.bottom > r.bottom + 0.5;
    });
    return {
      tall: tall.map((t) => t.textContent),
      overflow: g.scrollWidth - g.clientWidth,
      pastRight: Math.round(last.getBoundingClientRect().right - g.getBoundingClientRect().right),
      last: last.textContent,
    };
  });

/** Every vendor's list in the demo: how to open it from the home page. */
const DEMO_LISTS = [
  ['Ekran sessions', 'sim-ekran', 'Open sessions'],
  ['VBA sessions', 'sim-aws', 'Open sessions'],
  ['M365 job sessions', 'sim-m365', 'Open sessions'],
  ['EM backup sessions', 'sim-em', 'Open backup sessions'],
  ['EM logon sessions', 'sim-em', 'Open sessions'],
  ['PAM elevation requests', 'sim-pam', 'Open elevation requests'],
];

test("at 1400 px every demo list's columns fit its grid: no sideways scrolling, the last column in view; at 1024 px times and ids whole", async () => {
  // The demo's data (ending now, so that times carry their "… ago"), as scripts/demo.sh serves it.
  const { process: demoSim, base: demoBase } = await startSim(SIM, ['--dist', DIST, '--write-config', join(dir, 'demo-config.json'), '--pam-auth', 'off', '--anchor', 'now']);
  const demoConfig = await readFile(join(dir, 'demo-config.json'), 'utf8');
  try {
    for (const width of WIDTHS) {
      const context = await browser.newContext({ viewport: { width, height: HEIGHT }, timezoneId: 'Europe/Berlin' });
      const page = await context.newPage();
      const problems = watch(page);
      await page.route(`${demoBase}/config.json`, (route) => route.fulfill({ contentType: 'application/json', body: demoConfig }));
      try {
        for (const [name, id, button] of DEMO_LISTS) {
          await page.goto(`${demoBase}/`);
          if (id === 'sim-ekran') {
            await card(page, id).getByLabel('Token').fill('ekran-demo-token');
            await card(page, id).getByRole('button', { name: 'Use token' }).click();
          } else if (id !== 'sim-pam') {
            await logOn(page, id);
          }
          await card(page, id).getByRole('button', { name: button, exact: true }).click();
          await page.locator('.sl-body .sl-row').first().waitFor();
          await page.waitForTimeout(200);
          for (const colorScheme of ['light', 'dark']) {
            await page.emulateMedia({ colorScheme });
            const f = await fit(page);
            const where = `${name} at ${width} px (${colorScheme}), columns ${(await headers(page)).join(' | ')}`;
            if (width >= 1400) {
              assert.ok(f.overflow <= 1, `${where}: the grid scrolls ${f.overflow} px sideways`);
              assert.ok(f.pastRight <= 0, `${where}: "${f.last}" ends ${f.pastRight} px past the grid`);
            }
            assert.deepEqual(await cutCells(page), [], where);
            assert.deepEqual(f.tall, [], `${where}: times taller than their row`);
          }
          await page.emulateMedia({ colorScheme: 'light' });
        }
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }
  } finally {
    demoSim.kill();
  }
});

/** A Veeam Backup for AWS log of one hour: 61 steps, one a minute. */
function hourLog() {
  const t0 = Date.UTC(2025, 7, 31, 20);
  const stamp = (ms) => new Date(ms).toISOString().replace('Z', '');
  const log = Array.from({ length: 61 }, (_, i) => ({
    status: 'Success',
    logTime: stamp(t0 + i * 60_000 + 30_000),
    message: `Step ${i} of the job, processing disk ${i % 4}.`,
    executionStartTime: stamp(t0 + i * 60_000),
    executionDuration: 30_000,
  }));
  return { sessionId: 'an-hour', log };
}

test("timeline: tick labels never run into each other on a long log", async () => {
  for (const width of WIDTHS) {
    const { page, problems, close } = await open(width);
    try {
      await page.goto(`${base}/`);
      await page.getByLabel('Open file').setInputFiles({ name: 'hour.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(hourLog())) });
      await page.locator('tr.tl-row').first().waitFor();
      assert.ok((await page.locator('.tl-tick').count()) >= 2, 'the axis is labelled');
      assert.deepEqual(await crowdedTicks(page, 6), [], `at ${width} px`);
      await look(page, 'timeline');
      // Zoomed in, the labels still keep apart.
      await page.getByRole('button', { name: /Zoom in/ }).first().click();
      assert.deepEqual(await crowdedTicks(page, 6), [], `zoomed, at ${width} px`);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  }
});

test('timeline: a resized window gets its ticks fitted again (fewer when narrower, back when wider)', async () => {
  const { page, problems, close } = await open(1400);
  try {
    await page.goto(`${base}/`);
    await page.getByLabel('Open file').setInputFiles({ name: 'hour.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(hourLog())) });
    await page.locator('tr.tl-row').first().waitFor();
    const wide = await page.locator('.tl-tick').count();
    await page.setViewportSize({ width: 640, height: HEIGHT });
    await page.waitForFunction((n) => document.querySelectorAll('.tl-tick').length < n, wide, { timeout: 5000 });
    assert.deepEqual(await crowdedTicks(page, 6), [], 'narrow');
    await page.setViewportSize({ width: 1400, height: HEIGHT });
    await page.waitForFunction((n) => document.querySelectorAll('.tl-tick').length === n, wide, { timeout: 5000 });
    assert.deepEqual(await crowdedTicks(page, 6), [], 'wide again');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test("Enterprise Manager's logon sessions: the list, then only the selected session's details", async () => {
  for (const width of WIDTHS) {
    const { page, problems, close } = await open(width);
    try {
      await page.goto(`${base}/`);
      await logOn(page, 'sim-em');
      await card(page, 'sim-em').getByRole('button', { name: 'Open sessions' }).click();
      await page.locator('.sl-body .sl-row').first().waitFor();
      const cards = page.locator('article.logon');
      assert.ok((await cards.count()) >= 3);
      assert.equal(await cards.filter({ visible: true }).count(), 0);
      await page.getByText('Select a session in the list to see its details and links.').waitFor();
      const row = page.locator('.sl-body .sl-row').nth(1);
      const id = await row.getAttribute('data-session-id');
      await row.click();
      await page.locator(`article.logon[data-id="${id}"]`).waitFor();
      assert.equal(await cards.filter({ visible: true }).count(), 1);
      assert.equal(await page.getByText('Select a session in the list').isVisible(), false);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      assert.ok(height < 2500, `the page is ${height} px tall`);
      await look(page, 'logon-details');
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  }
});

test('home: five connections at a glance, log-on fields under their labels', async () => {
  for (const width of WIDTHS) {
    const { page, problems, close } = await open(width);
    try {
      await page.goto(`${base}/`);
      const cards = page.locator('article.connection');
      await cards.nth(4).waitFor();
      const boxes = await cards.evaluateAll((cs) => cs.map((c) => c.getBoundingClientRect().toJSON()));
      assert.equal(boxes.length, 5);
      for (const b of boxes) assert.ok(b.bottom <= HEIGHT, `a card ends at ${Math.round(b.bottom)} px, below the first screen (${width} px wide)`);
      // Each field sits under its label's words, with room between them.
      const gaps = await page.locator('form.sign-in label:not(.keep)').evaluateAll((labels) =>
        labels.map((l) => {
          const range = document.createRange();
          range.selectNodeContents(l.firstChild);
          return l.querySelector('input').getBoundingClientRect().top - range.getBoundingClientRect().bottom;
        }),
      );
      assert.ok(gaps.length >= 5);
      for (const g of gaps) assert.ok(g >= 2, `a field ${g} px from its label`);
      await look(page, 'home');
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  }
});
