// End-to-end: the session list on a generated 100 000-session file, and its state in the URL.
// The release build in headless Chromium, served over loopback (see app.test.mjs).
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { serveDist } from './server.mjs';
import { launchChromium, missingConfig, watch } from './harness.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = process.env.DIST ?? join(ROOT, 'dist');

let server;
let browser;
let page;
let problems;

before(async () => {
  server = await serveDist(DIST);
  browser = await launchChromium();

});

after(async () => {
  await browser?.close();
  await server?.close();
});

beforeEach(async () => {
  const context = await browser.newContext({ acceptDownloads: true, timezoneId: 'Europe/Berlin' });
  page = await context.newPage();
  problems = watch(page, { allowResponse: missingConfig });
});

afterEach(async () => {
  await page.context().close();
  assert.deepEqual(problems, []);
});

const BASE = Date.UTC(2021, 3, 1); // 2021-04-01T00:00:00Z

/** Ekran sessions: one every 30 s, 250 users, durations up to 2 h, every 40th still open. */
function generate(n, { open = true } = {}) {
  const sessions = [];
  for (let i = 0; i < n; i++) {
    const login = BASE + i * 30_000;
    const seconds = (i * 7919) % 7200;
    sessions.push({
      clientGuid: `client-${i % 97}`,
      loginDate: new Date(login).toISOString(),
      logoutDate: open && i % 40 === 0 ? null : new Date(login + seconds * 1000).toISOString(),
      sessionId: i + 1,
      userId: i % 250,
    });
  }
  return sessions;
}

const rows = () => page.locator('[role=row][data-session-id]');
const countText = () => page.locator('.sl-count').textContent();

async function openGenerated(sessions) {
  await page.goto(`${server.url}/`);
  await page.locator('input[type=file]').setInputFiles({
    name: 'ekran-100k.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(sessions)),
  });
  await page.waitForURL(/\/sessions\/file-/);
  await rows().first().waitFor();
}

async function measures(name) {
  return page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

test('100 000 sessions: bounded DOM, typed filter, facets, sort, keyboard, export', async () => {
  const sessions = generate(100_000);
  await openGenerated(sessions);
  assert.equal(await countText(), '100000 sessions');
  assert.ok((await rows().count()) <= 200, `${await rows().count()} rows in the DOM`);
  assert.equal(await page.locator('[role=grid]').getAttribute('aria-rowcount'), '100001');
  assert.ok((await measures('sv:load')).length >= 1, 'sv:load recorded');
  assert.ok((await measures('sv:render')).length >= 1, 'sv:render recorded');

  // Session 1 is still open: it says so, and its duration grows while the page is open.
  const open1 = page.locator('[role=row][data-session-id="1"]');
  assert.match(await open1.textContent(), /still open.* so far/);
  const before = Number(await open1.getAttribute('data-duration-ms'));
  await page.waitForFunction((ms) => Number(document.querySelector('[role=row][data-session-id="1"]')?.dataset.durationMs) > ms + 1000, before, { timeout: 12_000 });

  // The scrollbar is true to the full length: the end of the list shows the last session.
  await page.locator('[role=grid]').evaluate((g) => { g.scrollTop = g.scrollHeight; });
  await page.locator('[role=row][data-session-id="100000"]').waitFor();
  assert.ok((await rows().count()) <= 200);

  // Typed keystroke by keystroke, like a person: each keystroke is an `sv:filter` measure.
  const filter = page.getByLabel('Filter', { exact: true });
  await filter.click();
  await filter.pressSequentially('user:="user 42" -is:open');
  const expected = sessions.filter((s) => s.userId === 42 && s.logoutDate !== null);
  await page.waitForFunction((n) => document.querySelector('.sl-count')?.textContent === `${n} of 100000 sessions`, expected.length);
  const users = await rows().evaluateAll((rs) => rs.map((r) => r.querySelectorAll('[role=gridcell]')[2].textContent));
  assert.ok(users.length > 0 && users.every((u) => u === 'user 42'), users.join());
  const filterTimes = await measures('sv:filter');
  assert.ok(filterTimes.length >= 20, `${filterTimes.length} sv:filter measures`);
  console.log(`# sv:filter over ${filterTimes.length} keystrokes on 100 000 sessions: median ${median(filterTimes).toFixed(1)} ms, max ${Math.max(...filterTimes).toFixed(1)} ms`);

  // A bad term says what is wrong and keeps the good terms applied.
  await filter.press('End');
  await filter.pressSequentially(' usr:x');
  await page.getByRole('alert').filter({ hasText: 'usr' }).waitFor();
  assert.match(await page.getByRole('alert').filter({ hasText: 'usr' }).textContent(), /did you mean “?user/i);
  assert.equal(await countText(), `${expected.length} of 100000 sessions`);
  for (let i = 0; i < ' usr:x'.length; i++) await filter.press('Backspace');

  // Sort by duration, descending: the longest of the filtered sessions comes first.
  const duration = page.getByRole('columnheader', { name: 'Duration' });
  await duration.getByRole('button').click();
  await duration.getByRole('button').click();
  assert.equal(await duration.getAttribute('aria-sort'), 'descending');
  const longest = Math.max(...expected.map((s) => Date.parse(s.logoutDate) - Date.parse(s.loginDate)));
  await page.waitForFunction((ms) => document.querySelector('[role=row][data-session-id]')?.dataset.durationMs === String(ms), longest);
  assert.match(page.url(), /sort=duration:desc/);
  assert.match(decodeURIComponent(page.url()), /q=user:="user 42" -is:open/);

  // Keyboard: j/k and End move the selection, Enter opens the session, Esc comes back.
  await page.locator('[role=grid]').focus();
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  const second = await rows().nth(0).getAttribute('data-session-id');
  assert.equal(await page.locator('[role=row][aria-selected=true]').getAttribute('data-session-id'), second);
  assert.match(page.url(), new RegExp(`sel=${second}`));
  await page.keyboard.press('End');
  assert.equal(await page.locator('[role=row][aria-selected=true]').getAttribute('aria-rowindex'), String(expected.length + 1));
  await page.keyboard.press('Enter');
  const details = page.getByRole('region', { name: 'Session details' });
  await details.waitFor();
  assert.match(await details.textContent(), /user 42/);
  await page.keyboard.press('Escape');
  await details.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'grid');
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'sl-filter');
  await page.locator('[role=grid]').focus();
  await page.keyboard.press('?');
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
  await page.keyboard.press('Escape');
  await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ state: 'hidden' });

  // Export exactly what is shown.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.trimEnd().split('\n');
  assert.equal(lines[0], '# Exported by: Session Viewer 0.1.0');
  assert.equal(lines[1], '# Source: ekran-100k.json');
  // Each header line is one CSV cell, quoted where it holds a quote, comma or semicolon.
  assert.equal(lines[2], '"# Filter: user:=""user 42"" -is:open"');
  assert.equal(lines[3], '# Time range: all time');
  assert.equal(lines[4], '# Sort: duration:desc');
  assert.equal(lines[5], '# Time zone: local (Europe/Berlin)');
  assert.equal(lines[6], `# Rows: ${expected.length} of 100000`);
  assert.equal(lines[7], 'id,status,vendor_status,user,host,start,end,duration_ms,open,name,vs_usual_pct,slower_than_usual');
  const data = lines.slice(8).map((l) => l.split(','));
  assert.equal(data.length, expected.length);
  assert.equal(Number(data[0][7]), longest);
  assert.ok(data.every((r) => r[3] === 'user 42' && r[8] === 'false'));
  assert.match(data[0][5], /^2021-\d\d-\d\d \d\d:\d\d:\d\d \+02:00$/);
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  const exported = JSON.parse(await readFile(await json.path(), 'utf8'));
  assert.equal(exported.sessions.length, expected.length);
  assert.equal(exported.filter, 'user:="user 42" -is:open');

  // Facets count what is shown; a click includes a value, the − beside it excludes it.
  await filter.fill('');
  await page.waitForFunction(() => document.querySelector('.sl-count')?.textContent === '100000 sessions');
  const open = sessions.filter((s) => s.logoutDate === null).length;
  const running = page.getByRole('group', { name: 'Status' }).getByRole('button', { name: /^Running/ });
  assert.match(await running.textContent(), new RegExp(`Running ${open}$`));
  await running.click();
  await page.waitForFunction((n) => document.querySelector('.sl-count')?.textContent === `${n} of 100000 sessions`, open);
  assert.equal(await filter.inputValue(), 'status:running');
  await page.getByRole('button', { name: 'Exclude status Running' }).click();
  await page.waitForFunction((n) => document.querySelector('.sl-count')?.textContent === `${n} of 100000 sessions`, 100_000 - open);
  assert.equal(await filter.inputValue(), '-status:running');
  assert.ok((await rows().count()) <= 200);
});

test('a long list\'s first rows do not wait for the histogram, which keeps its place while it counts', async () => {
  await page.goto(`${server.url}/`);
  // What the page shows when the first row is written, before anything else runs.
  await page.evaluate(() => {
    const seen = new MutationObserver(() => {
      if (window.__first || !document.querySelector('[role=row][data-session-id]')) return;
      const figure = document.querySelector('.sl-hist');
      window.__first = { hidden: figure.hidden, height: figure.getBoundingClientRect().height, caption: figure.querySelector('figcaption').textContent };
      seen.disconnect();
    });
    seen.observe(document.body, { childList: true, subtree: true });
  });
  await page.locator('input[type=file]').setInputFiles({ name: 'long.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(generate(20_000, { open: false }))) });
  await rows().first().waitFor();
  const first = await page.evaluate(() => window.__first);
  assert.deepEqual({ ...first, height: undefined }, { hidden: false, height: undefined, caption: 'Counting the sessions over time…' });
  await page.waitForFunction(() => /^2021-04-0\d \d\d:\d\d:\d\d .* · tallest bar: \d+ sessions running$/.test(document.querySelector('.sl-hist figcaption').textContent));
  assert.equal(await page.locator('.sl-hist').evaluate((f) => f.getBoundingClientRect().height), first.height, 'the chart is as tall counted as while counting');
  assert.ok((await page.locator('.sl-bucket:has(.sl-seg)').count()) > 50);
});

test('the list\'s code is made ready on the home page by a list that is never shown and measures nothing', async () => {
  await page.goto(`${server.url}/`);
  // The made-up list is drawn off the page after the first paint and dropped two seconds later.
  await page.waitForFunction(() => performance.getEntriesByName('sv:warm').length === 1, null, { timeout: 10_000 });
  assert.equal(await page.locator('.sl, [role=grid]').count(), 0, 'nothing of it is in the page');
  assert.deepEqual(await page.evaluate(() => ['sv:render', 'sv:jobs', 'sv:filter'].flatMap((n) => performance.getEntriesByName(n))), []);
  await page.locator('input[type=file]').setInputFiles({ name: 'few.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(generate(50))) });
  await rows().first().waitFor();
  assert.match(await countText(), /\b50 sessions/);
  await page.waitForFunction(() => performance.getEntriesByName('sv:jobs').length === 1);
  assert.equal((await measures('sv:render')).length, 1, 'the real list measures once');
});

test('the histogram: dragging across it narrows the time range', async () => {
  // No open sessions here: they run to now and would stretch the chart to today.
  await openGenerated(generate(20_000, { open: false }));
  // A long list's chart is drawn just after its first rows.
  await page.waitForFunction(() => /tallest bar/.test(document.querySelector('.sl-hist figcaption').textContent));
  const chart = page.locator('.sl-chart');
  const box = await chart.boundingBox();
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await page.waitForURL(/range=/);
  const text = await countText();
  const shown = Number(text.split(' ')[0]);
  assert.ok(shown > 3000 && shown < 8000, text);
  assert.ok((await page.locator('.sl-bucket').count()) > 50);
  await page.getByRole('button', { name: 'Clear range' }).click();
  await page.waitForFunction(() => document.querySelector('.sl-count')?.textContent === '20000 sessions');

  // An absolute range typed in the viewer's wall clock (Berlin, UTC+02:00 in April 2021).
  await page.getByLabel('Time range', { exact: true }).selectOption('custom');
  await page.getByLabel('From', { exact: true }).fill('2021-04-01T03:00:00');
  await page.getByLabel('To', { exact: true }).fill('2021-04-01T04:00:00');
  await page.getByRole('button', { name: 'Apply range' }).click();
  await page.waitForURL(/range=2021-04-01T01:00:00Z\/2021-04-01T02:00:00Z/);
  const from = Date.UTC(2021, 3, 1, 1);
  const to = Date.UTC(2021, 3, 1, 2);
  const overlapping = generate(20_000, { open: false }).filter((s) => Date.parse(s.loginDate) < to && Date.parse(s.logoutDate) > from).length;
  await page.waitForFunction((n) => document.querySelector('.sl-count')?.textContent === `${n} of 20000 sessions`, overlapping);
  assert.match(await page.locator('.sl-range-now').textContent(), /2021-04-01 03:00:00 \+02:00 – 2021-04-01 04:00:00 \+02:00/);
  // Relative ranges are counted back from now: the generated sessions are all older.
  await page.getByLabel('Time range', { exact: true }).selectOption('24h');
  await page.waitForURL(/range=1d/);
  assert.equal(await page.getByLabel('Time range', { exact: true }).inputValue(), '24h');
  assert.equal(await countText(), '0 of 20000 sessions');
  await page.getByText('No session matches the filter and range.').waitFor();
});

test('filters, sort and selection live in the URL: reload, back and forward restore them', async () => {
  await page.goto(`${server.url}/sessions/sample-ekran?q=user:61&sort=id:desc&sel=124`);
  await rows().first().waitFor();
  assert.equal(await countText(), '1 of 2 sessions');
  assert.equal(await page.getByLabel('Filter', { exact: true }).inputValue(), 'user:61');
  assert.equal(await page.locator('[role=row][aria-selected=true]').getAttribute('data-session-id'), '124');
  await page.reload();
  await rows().first().waitFor();
  assert.equal(await countText(), '1 of 2 sessions');
  assert.equal(await page.getByRole('columnheader', { name: 'Session' }).getAttribute('aria-sort'), 'descending');
  assert.equal(await page.locator('[role=row][aria-selected=true]').getAttribute('data-session-id'), '124');

  // A new state is a new history entry; back returns to the one before.
  await page.getByLabel('Filter', { exact: true }).fill('');
  await page.getByRole('columnheader', { name: 'User' }).getByRole('button').click();
  await page.waitForURL(/sort=user:asc/);
  assert.equal(await countText(), '2 sessions');
  await page.goBack();
  await page.waitForURL(/sort=id:desc/);
  assert.equal(await page.getByRole('columnheader', { name: 'Session' }).getAttribute('aria-sort'), 'descending');
  await page.goForward();
  await page.waitForURL(/sort=user:asc/);
  assert.equal(await page.getByRole('columnheader', { name: 'User' }).getAttribute('aria-sort'), 'ascending');

  // A bad parameter is named, and the rest of the link still applies.
  await page.goto(`${server.url}/sessions/sample-ekran?sort=sideways&q=user:16`);
  await page.getByText('Part of the link was not understood').waitFor();
  assert.equal(await countText(), '1 of 2 sessions');
});

test('times: local by default, UTC on request (remembered), the instant on hover', async () => {
  await page.goto(`${server.url}/sessions/sample-ekran`);
  await rows().first().waitFor();
  const start = rows().first().locator('time').first();
  assert.equal(await start.textContent(), '2000-01-23 05:56:07 +01:00'); // Berlin in January
  assert.equal(await start.getAttribute('datetime'), '2000-01-23T04:56:07Z');
  assert.match(await start.getAttribute('title'), /2000-01-23T04:56:07Z .*as the source wrote it: 2000-01-23 04:56:07 \+00:00/);
  await page.getByLabel('Times in UTC').check();
  assert.equal(await start.textContent(), '2000-01-23 04:56:07 UTC');
  await page.reload();
  await rows().first().waitFor();
  assert.equal(await rows().first().locator('time').first().textContent(), '2000-01-23 04:56:07 UTC');
  assert.ok(await page.getByLabel('Times in UTC').isChecked());
});
