// Side by side: the app's session list against a hand-written vanilla-JS page (bench/vanilla/)
// doing the same work (parse the same 100 000-session Ekran file, normalise, draw the rows in
// view, filter on each keystroke), in one headless Chromium, runs alternating app, vanilla, app,
// vanilla…; prints the medians of each and their ratio. It reports, it does not fail.
//
//   node bench/compare.mjs [runs=3] [sessions=100000]      (after `trunk build --release`)
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { serveDist } from '../e2e/server.mjs';
import { generate, QUERY } from './list.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = process.env.DIST ?? join(ROOT, 'dist');
const RUNS = Number(process.argv[2] ?? 3);
const N = Number(process.argv[3] ?? 100_000);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? NaN;

/** One run on one page: file chosen → first row, the page's own measures, and every keystroke. */
async function run(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(url);
  // Timed in the page, the same way on both: from the file input's `change` event to the first
  // frame painted after a row is in the DOM (handing the file to the page over the DevTools
  // protocol takes seconds, and is not the page's work).
  await page.evaluate(() => {
    const t = (window.__bench = {});
    document.addEventListener('change', () => { t.change = performance.now(); }, { capture: true, once: true });
    const seen = new MutationObserver(() => {
      if (t.rows || !document.querySelector('[role=row][data-session-id]')) return;
      t.rows = performance.now();
      seen.disconnect();
      requestAnimationFrame(() => setTimeout(() => { t.painted = performance.now(); }));
    });
    seen.observe(document.body, { childList: true, subtree: true });
  });
  await page.locator('input[type=file]').setInputFiles({ name: 'bench.json', mimeType: 'application/json', buffer: payload });
  await page.locator('[role=row][data-session-id]').first().waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => window.__bench.painted !== undefined);
  const wall = await page.evaluate(() => window.__bench.painted - window.__bench.change);
  const get = (name) => page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name);
  const [load] = await get('sv:load');
  const [render] = await get('sv:render');
  const filter = page.getByLabel('Filter', { exact: true });
  await filter.click();
  await filter.pressSequentially(QUERY, { delay: 50 });
  await page.waitForFunction(() => /of \d+ sessions/.test(document.querySelector('.sl-count, .count')?.textContent ?? ''));
  const keys = await get('sv:filter');
  const counted = await page.locator('.sl-count, .count').first().textContent();
  await page.close();
  return { wall, load, render, keys, counted };
}

const payload = generate(N);
const app = await serveDist(DIST);
const vanilla = await serveDist(join(ROOT, 'bench', 'vanilla'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const results = { app: [], vanilla: [] };
try {
  for (let i = 0; i < RUNS; i++) {
    for (const [name, url] of [['app', `${app.url}/`], ['vanilla', `${vanilla.url}/index.html`]]) {
      const r = await run(browser, url);
      results[name].push(r);
      console.log(`run ${i + 1} ${name.padEnd(7)}: file → rows ${r.wall.toFixed(0)} ms, load ${r.load.toFixed(1)} ms, render ${r.render.toFixed(1)} ms, keystroke median ${median(r.keys).toFixed(1)} ms (${r.keys.length}), "${r.counted.trim()}"`);
    }
  }
} finally {
  await browser.close();
  await app.close();
  await vanilla.close();
}

const rows = [
  ['file chosen → rows painted', (rs) => median(rs.map((r) => r.wall))],
  ['sv:load (payload → model)', (rs) => median(rs.map((r) => r.load))],
  ['sv:render (model → rows)', (rs) => median(rs.map((r) => r.render))],
  ['keystroke → list updated, median', (rs) => median(rs.flatMap((r) => r.keys))],
  ['keystroke → list updated, p95', (rs) => p95(rs.flatMap((r) => r.keys))],
];
console.log(`\nApp against vanilla JS, ${N} sessions, ${RUNS} alternating runs each (medians; keystrokes typing "${QUERY}"):`);
console.log(`  ${'measure'.padEnd(34)} ${'app'.padStart(10)} ${'vanilla'.padStart(10)}  ratio`);
for (const [label, f] of rows) {
  const a = f(results.app);
  const v = f(results.vanilla);
  console.log(`  ${label.padEnd(34)} ${`${a.toFixed(1)} ms`.padStart(10)} ${`${v.toFixed(1)} ms`.padStart(10)}  ${(a / v).toFixed(2)}`);
}
console.log('  targets: file → rows ≤ 1.25×, keystroke median ≤ 1.25× vanilla');
