// End-to-end: the timeline of issue #7 (virtualised rows, gaps, zoom and pan, filters in the URL,
// entry details) in headless Chromium against the release build, driven like a person.
// The launch and guard helpers are those of e2e/app.test.mjs.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { launchChromium, missingConfig, watch } from './harness.mjs';
import { serveDist } from './server.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = process.env.DIST ?? join(ROOT, 'dist');
const SEED = join(ROOT, 'public/samples/veeam-aws-session-log.json');

let server;
let browser;
let page;
let problems; // console errors, page errors and requests that left loopback

before(async () => {
  server = await serveDist(DIST);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

beforeEach(async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  problems = watch(page, { allowResponse: missingConfig });

});

afterEach(async () => {
  await page.context().close();
});

const T0 = Date.UTC(2021, 0, 1, 0, 0, 0);
/** A zone-less timestamp the way the VBA seed writes them. */
const stamp = (ms) => new Date(ms).toISOString().replace('Z', '');

/**
 * A Veeam Backup for AWS session log shaped like the seed: `n` steps of 1 s, one every 2 s, all
 * successful except a warning at `warningAt` and a failure at `failedAt`; step `slowAt` lasts an
 * hour (and shifts every later step by it); step i's message is "Step i of the job." (with
 * `extra` appended to the slow one's).
 */
function vbaLog(n, { warningAt = -1, failedAt = -1, slowAt = -1, slowMs = 3_600_000, stepMs = 1_000 } = {}) {
  const log = [];
  let t = T0;
  for (let i = 0; i < n; i++) {
    const duration = i === slowAt ? slowMs : stepMs;
    const status = i === failedAt ? 'Error' : i === warningAt ? 'Warning' : 'Success';
    log.push({
      status,
      logTime: stamp(t + duration),
      message: `Step ${i} of the job.`,
      executionStartTime: stamp(t),
      executionDuration: duration,
    });
    t += duration + 1_000;
  }
  return { sessionId: 'generated', log };
}

/** Opens `json` as a file called `name` through the "Open file" control. */
async function openJson(name, json) {
  await page.goto(`${server.url}/`);
  await page.getByLabel('Open file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) });
  await page.locator('tr.tl-row').first().waitFor();
}

/** The overview window's place, `left:L;width:W`, as a page expression: read from the CSSOM,
 * since no `style` attribute is ever written (the CSP forbids them). */
const OV_BOX = "((s) => `left:${s.left};width:${s.width}`)(document.querySelector('.tl-ov-window').style)";
const rowCount = () => page.locator('tr.tl-row').count();
const barWidth = (index) =>
  page.locator(`tr[data-entry="${index}"] .tl-bar`).evaluate((b) => parseFloat(b.style.width));

test('a 50 000-entry log stays bounded in the DOM, scrolls to its end and is summarised right', async () => {
  const n = 50_000;
  await openJson('big.json', vbaLog(n, { warningAt: 100, failedAt: 30_000, slowAt: 40_000 }));
  assert.ok((await rowCount()) <= 200, `${await rowCount()} rows in the DOM`);
  assert.ok((await rowCount()) >= 10, 'the first screen is drawn');
  assert.equal(await page.locator('tr.tl-row').first().getAttribute('data-entry'), '0');

  // The summary is right without reading the rows.
  // 49 999 gaps of 1 s, 49 999 steps of 1 s and one of an hour.
  assert.equal(await page.locator('.tl-summary').textContent(), '50000 entries over 1 d 04 h');
  const counts = await page.locator('.tl-counts li').allTextContents();
  assert.deepEqual(counts.map((c) => c.trim()), ['✕Failed 1', '!Warning 1', '✓Success 49998']);
  assert.match((await page.locator('.tl-slowest li').first().textContent()), /^Step 40000 of the job\. — 1 h 00 min \(3% of the session\)$/);

  // The scrollbar is true to the full length: rows × 44 px.
  const { scrollHeight, clientHeight } = await page.locator('.tl-scroll').evaluate((s) => ({ scrollHeight: s.scrollHeight, clientHeight: s.clientHeight }));
  assert.ok(scrollHeight >= n * 44 && scrollHeight < n * 44 + 200, `scrollHeight ${scrollHeight}`);
  assert.ok(clientHeight < 1000);
  const rowHeight = await page.locator('tr.tl-row').first().evaluate((r) => r.getBoundingClientRect().height);
  assert.equal(rowHeight, 44, 'rows are as tall as the virtual list assumes');

  // Scrolling to the bottom shows the last entry.
  await page.locator('.tl-scroll').evaluate((s) => { s.scrollTop = s.scrollHeight; });
  const last = page.locator(`tr[data-entry="${n - 1}"]`);
  await last.waitFor();
  assert.equal(await last.locator('.tl-message').textContent(), `Step ${n - 1} of the job.`);
  assert.ok(await last.isVisible());
  assert.ok((await rowCount()) <= 200);

  // "First failure" scrolls a row that is not rendered into view and focuses it.
  await page.locator('.tl-scroll').evaluate((s) => { s.scrollTop = 0; });
  await page.locator('tr[data-entry="0"]').waitFor();
  assert.equal(await page.locator('tr[data-entry="30000"]').count(), 0);
  await page.getByRole('button', { name: 'First failure: entry 30001' }).click();
  const failed = page.locator('tr[data-entry="30000"]');
  await failed.waitFor();
  assert.equal(await failed.getAttribute('data-status'), 'failed');
  await page.waitForFunction(() => document.activeElement?.id === 'entry-30000');
  assert.ok(await failed.isVisible());
  // …and so does a slowest step far below.
  await page.locator('.tl-slowest li').first().getByRole('button').click();
  await page.waitForFunction(() => document.activeElement?.id === 'entry-40000');
  assert.equal(await page.locator('tr[data-entry="40000"]').getAttribute('data-duration-ms'), '3600000');
  assert.ok((await rowCount()) <= 200);

  // The load and render measures are recorded.
  const measures = await page.evaluate(() => ['sv:load', 'sv:render'].map((m) => performance.getEntriesByName(m, 'measure').length));
  assert.ok(measures.every((c) => c >= 1), `measures ${measures}`);
  assert.deepEqual(problems, []);
});

test('idle gaps show in their rows and the longest are marked', async () => {
  await page.goto(`${server.url}/`);
  await page.getByLabel('Open file').setInputFiles(SEED);
  await page.locator('tr.tl-row').first().waitFor();
  const gaps = await page.locator('tr.tl-row').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('.tl-gap').textContent, tr.classList.contains('tl-gap-large')]));
  assert.deepEqual(gaps, [
    ['', false],
    ['3.6 s ‖ (one of the longest idle times)', true],
    ['0 ms', false],
    ['0 ms', false],
    ['32 s ‖ (one of the longest idle times)', true],
  ]);
  assert.deepEqual(await page.locator('.tl-idle li').allTextContents(), ['before entry 5 — 32 s', 'before entry 2 — 3.6 s']);
  assert.deepEqual(problems, []);
});

test('zoom and pan change the bars; the overview strip shows and moves the window', async () => {
  await page.goto(`${server.url}/log/sample-veeam-aws`);
  await page.locator('tr.tl-row').first().waitFor();
  const whole = await barWidth(2);
  assert.ok(Math.abs(whole - 16.1) < 0.2, `${whole}`);
  const zoomOut = page.getByRole('button', { name: 'Zoom out' });
  assert.ok(await zoomOut.isDisabled(), 'nothing to zoom out of');

  await page.getByRole('button', { name: 'Zoom in' }).click();
  await page.waitForFunction((w) => {
    const b = document.querySelector('tr[data-entry="2"] .tl-bar');
    return b && parseFloat(b.style.width) > w * 1.4;
  }, whole);
  const zoomed = await barWidth(2);
  assert.ok(Math.abs(zoomed / whole - 1.5) < 0.01, `×${zoomed / whole}`);
  assert.ok(await zoomOut.isEnabled());
  const win = () => page.evaluate(OV_BOX);
  assert.match(await win(), /^left:16\.6667%;width:66\.6667%$/);
  assert.match(await page.locator('.tl-shown').textContent(), /^Showing 1 min 47 s to 8 min 58 s of 10 min 46 s$/);

  // Keyboard on the overview strip: + zooms, Home pans to the start, 0 shows everything.
  await page.locator('.tl-ov').focus();
  await page.keyboard.press('+');
  await page.keyboard.press('Home');
  await page.waitForFunction(`/^left:0%;width:44\\.4444%$/.test(${OV_BOX})`);
  // Pan right moves the window by 90% of its width.
  await page.getByRole('button', { name: 'Pan right' }).click();
  await page.waitForFunction(`/^left:40%;width:44\\.4444%$/.test(${OV_BOX})`);
  // A click on the strip centres the window there; a drag moves it.
  const strip = await page.locator('.tl-ov').boundingBox();
  await page.mouse.click(strip.x + strip.width * 0.3, strip.y + strip.height / 2);
  // Centred on 30%: 30 − 44.4/2 = 7.8 (give or take the strip's border).
  await page.waitForFunction(() => {
    const w = document.querySelector('.tl-ov-window').style;
    return w.width === '44.4444%' && Math.abs(parseFloat(w.left) - 7.7778) < 0.3;
  });
  await page.mouse.move(strip.x + strip.width * 0.3, strip.y + 5);
  await page.mouse.down();
  await page.mouse.move(strip.x + strip.width * 0.4, strip.y + 5, { steps: 4 });
  await page.mouse.up();
  const dragged = Number(/left:([\d.]+)%/.exec(await win())[1]);
  assert.ok(Math.abs(dragged - 17.7778) < 0.5, `${dragged}`);
  // Ctrl + wheel over the rows zooms.
  const before = Number(/width:([\d.]+)%/.exec(await win())[1]);
  await page.locator('.tl-scroll').hover();
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -200);
  await page.keyboard.up('Control');
  await page.waitForFunction((b) => parseFloat(document.querySelector('.tl-ov-window').style.width) < b, before);
  // The strip took focus when clicked: 0 shows the whole session again.
  await page.keyboard.press('0');
  await page.waitForFunction(`${OV_BOX} === 'left:0%;width:100%'`);
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await page.getByRole('button', { name: 'Whole session' }).click();
  await page.waitForFunction(`${OV_BOX} === 'left:0%;width:100%'`);
  assert.ok(Math.abs((await barWidth(2)) - whole) < 0.001);
  assert.deepEqual(problems, []);
});

test('the text and status filters live in the URL: reload and Back restore them', async () => {
  await page.goto(`${server.url}/log/sample-veeam-aws`);
  await page.locator('tr.tl-row').first().waitFor();
  await page.getByLabel('Find in messages').fill('PROCESSING');
  await page.waitForFunction(() => document.querySelectorAll('tr.tl-match').length === 1);
  assert.equal(await page.locator('tr.tl-match').getAttribute('data-entry'), '1');
  assert.equal(await rowCount(), 5, 'highlight mode hides nothing');
  assert.match(await page.locator('.tl-match-count').textContent(), /^1 of 5 entries match; 5 shown$/);
  assert.equal(new URL(page.url()).search, '?q=PROCESSING');

  await page.getByLabel('Matches').selectOption('hide');
  await page.waitForFunction(() => document.querySelectorAll('tr.tl-row').length === 1);
  assert.equal(new URL(page.url()).search, '?q=PROCESSING&mode=hide');
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll('tr.tl-row').length === 1);
  assert.equal(await page.getByLabel('Find in messages').inputValue(), 'PROCESSING');
  assert.equal(await page.getByLabel('Matches').inputValue(), 'hide');

  await page.goBack();
  await page.waitForFunction(() => document.querySelectorAll('tr.tl-row').length === 5);
  assert.equal(await page.getByLabel('Matches').inputValue(), 'highlight');
  assert.equal(new URL(page.url()).search, '?q=PROCESSING');

  // Status filter: a generated log with one failure and one warning.
  await openJson('statuses.json', vbaLog(50, { warningAt: 3, failedAt: 7 }));
  await page.getByRole('checkbox', { name: /Failed/ }).check();
  await page.waitForFunction(() => document.querySelectorAll('tr.tl-row').length === 1);
  await page.getByRole('checkbox', { name: /Warning/ }).check();
  await page.waitForFunction(() => document.querySelectorAll('tr.tl-row').length === 2);
  assert.match(new URL(page.url()).search, /^\?status=failed,warning$/);
  assert.deepEqual(await page.locator('tr.tl-row').evaluateAll((t) => t.map((r) => r.dataset.status)), ['warning', 'failed']);
  // A jump to an entry the filter hides shows every entry again and focuses it.
  await page.getByRole('checkbox', { name: /Warning/ }).uncheck();
  await page.waitForFunction(() => document.querySelectorAll('tr.tl-row').length === 1);
  await page.getByRole('button', { name: 'First warning: entry 4' }).click();
  await page.waitForFunction(() => document.activeElement?.id === 'entry-3');
  assert.ok((await rowCount()) > 10, 'every status is shown again');
  assert.equal(new URL(page.url()).search, '');
  assert.equal(await page.getByRole('checkbox', { name: /Failed/ }).isChecked(), false);
  await page.reload();
  // Files are not kept over a reload; the filter in the URL is, and applies to a sample too.
  await page.goto(`${server.url}/log/sample-veeam-aws?status=failed`);
  await page.getByRole('checkbox', { name: /Success/ }).waitFor();
  assert.equal(await rowCount(), 0);
  await page.getByRole('checkbox', { name: /Success/ }).check();
  await page.waitForFunction(() => document.querySelectorAll('tr.tl-row').length === 5);
  assert.deepEqual(problems, []);
});

test('an entry\'s details: the whole of a 10 MB message in chunks, copy, and its source', async () => {
  const huge = 'a'.repeat(5_000_000) + 'MIDDLE' + 'b'.repeat(5_000_000);
  const json = vbaLog(3);
  json.log[1].message = huge;
  await openJson('huge.json', json);
  const started = Date.now();
  await page.getByRole('button', { name: 'Details of entry 2' }).click();
  const panel = page.getByRole('region', { name: 'Entry 2' });
  await panel.waitFor();
  const shown = await panel.locator('pre.tl-full-message').evaluate((p) => p.textContent.length);
  assert.equal(shown, 100_000, 'the first chunk only');
  await panel.getByRole('button', { name: /^Show more \(9900006 more characters\)$/ }).click();
  await page.waitForFunction(() => document.querySelector('pre.tl-full-message').textContent.length === 200_000);
  assert.ok(Date.now() - started < 10_000, 'the page stays responsive');
  // The page still answers at once.
  assert.equal(await page.evaluate(() => 1 + 1), 2);
  await panel.getByText('Show source').click();
  assert.match(await panel.locator('details.raw pre').textContent(), /^\{"status":"Success","logTime":/);
  await panel.getByRole('button', { name: 'Close' }).click();
  await panel.waitFor({ state: 'hidden' });

  // Copy the message of a seed step.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await page.goto(`${server.url}/log/sample-veeam-aws`);
  await page.getByRole('button', { name: 'Details of entry 3' }).click();
  await page.getByRole('button', { name: 'Copy message' }).click();
  await page.getByRole('region', { name: 'Entry 3' }).getByText('Copied.').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'Preparing the worker VM.');
  assert.deepEqual(problems, []);
});

test('logon details: links grouped by relation with their type, each address copyable', async () => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await page.goto(`${server.url}/logon/sample-veeam-em`);
  const em = page.locator('article.logon');
  await em.waitFor();
  const up = em.locator('table.links').filter({ has: page.locator('caption', { hasText: /^Up$/ }) });
  const first = up.locator('tbody tr').first();
  const [type, , href] = await first.locator('td').allTextContents();
  assert.ok(type.length > 0 && href.startsWith('http'), `${type} ${href}`);
  const copy = first.getByRole('button', { name: /^Copy the address of / });
  await copy.click();
  await page.waitForFunction(() => document.querySelector('button[data-copy]')?.textContent === 'Copied');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), href);
  assert.equal(await em.getByRole('button', { name: /^Copy the address of / }).count(), 6, 'one per link');

  await page.goto(`${server.url}/logon/sample-mim-pam`);
  const pam = page.locator('article.logon');
  await pam.waitFor();
  assert.equal(await pam.getAttribute('data-user'), 'FIMCITONEBOXAD\\Jen');
  assert.deepEqual(problems, []);
});

test('run against run: two generated runs, step by step, with the expected changes', async () => {
  const a = vbaLog(20);
  const b = vbaLog(20, { slowAt: 5, slowMs: 4_000 });
  b.log.splice(12, 1); // step 12 did not run the second time
  b.log[15].executionDuration = 500; // …and step 16 went faster (reported 0.5 s, observed 1 s)
  b.log[15].logTime = b.log[15].executionStartTime.replace(/\.000$/, '.500');
  await page.goto(`${server.url}/`);
  await page.getByLabel('Open file').setInputFiles([
    { name: 'run-a.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(a)) },
    { name: 'run-b.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(b)) },
  ]);
  await page.getByRole('link', { name: 'Log timeline' }).click();
  await page.getByRole('link', { name: 'run-a.json' }).click();
  await page.locator('tr.tl-row').first().waitFor();
  await page.getByLabel('Compare with another open log').selectOption({ label: 'run-b.json' });
  const table = page.locator('.tl-diff-table');
  await table.waitFor();
  assert.equal(
    await page.locator('.tl-diff-summary').textContent(),
    '20 steps: 1 slower, 1 faster in the other run; 1 only in this run, 0 only in the other.',
  );
  const rows = await table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent).concat(tr.dataset.changeMs ?? '')),
  );
  assert.equal(rows.length, 20);
  assert.deepEqual(rows[0], ['Step 0 of the job.', '1 s', '1 s', '= 0 ms (+0%)', '0']);
  assert.deepEqual(rows[5], ['Step 5 of the job.', '1 s', '4 s', '▲ +3 s (+300%)', '3000']);
  assert.deepEqual(rows[15], ['Step 15 of the job.', '1 s', '500 ms', '▼ −500 ms (−50%)', '-500']);
  // Steps pair by their number-free message and order: the missing one is the last of A's.
  assert.deepEqual(rows[19], ['Step 19 of the job.', '1 s', '—', 'only in this run', '']);
  assert.deepEqual(problems, []);
});
