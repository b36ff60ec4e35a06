// Timeline benchmark: opens a generated 50 000-entry Veeam Backup for AWS log in the release build
// (dist/, or DIST) in headless Chromium, several times, and prints the medians of the app's own
// performance measures: `sv:load` (payload → model) and `sv:render` (model → rows in the DOM),
// plus the time to scroll to the end and see the last row.
//   node bench/timeline.mjs [runs=7] [entries=50000]
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { serveDist } from '../e2e/server.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = process.env.DIST ?? join(ROOT, 'dist');
const RUNS = Number(process.argv[2] ?? 7);
const N = Number(process.argv[3] ?? 50_000);

const T0 = Date.UTC(2021, 0, 1);
const stamp = (ms) => new Date(ms).toISOString().replace('Z', '');
const log = [];
for (let i = 0, t = T0; i < N; i++, t += 2_000) {
  log.push({
    status: i % 997 === 0 ? 'Warning' : 'Success',
    logTime: stamp(t + 1_000),
    message: `Processing item ${i} of the backup policy.`,
    executionStartTime: stamp(t),
    executionDuration: 1_000,
  });
}
const buffer = Buffer.from(JSON.stringify({ sessionId: 'bench', log }));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const server = await serveDist(DIST);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking'],
});
const results = { load: [], render: [], scroll: [] };
try {
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByLabel('Open file').setInputFiles({ name: 'bench.json', mimeType: 'application/json', buffer });
    await page.locator('tr.tl-row').first().waitFor();
    const [load, render] = await page.evaluate(() =>
      ['sv:load', 'sv:render'].map((m) => performance.getEntriesByName(m, 'measure').at(-1)?.duration ?? NaN),
    );
    const scroll = await page.evaluate(async (last) => {
      const s = document.querySelector('.tl-scroll');
      const t = performance.now();
      s.scrollTop = s.scrollHeight;
      while (!document.getElementById(`entry-${last}`)) await new Promise(requestAnimationFrame);
      return performance.now() - t;
    }, N - 1);
    const rows = await page.locator('tr.tl-row').count();
    if (rows > 200) throw new Error(`${rows} rows in the DOM`);
    results.load.push(load);
    results.render.push(render);
    results.scroll.push(scroll);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
const ms = (x) => `${Math.round(x)} ms`;
console.log(`${N} entries, ${(buffer.length / 1e6).toFixed(1)} MB, ${RUNS} runs (medians):`);
console.log(`  sv:load   (payload → model)        ${ms(median(results.load))}`);
console.log(`  sv:render (model → rows in the DOM) ${ms(median(results.render))}`);
console.log(`  scroll to the end → last row shown  ${ms(median(results.scroll))}`);
