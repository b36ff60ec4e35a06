// The first ten minutes (issue 14): what a new user meets before anything else, each item a
// regression test that fails without its fix.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serveDist } from './server.mjs';
import { launchChromium, watch } from './harness.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = process.env.DIST ?? join(ROOT, 'dist');
const SEED = join(ROOT, 'public/samples/veeam-aws-session-log.json');

let browser;
let dir;

before(async () => {
  browser = await launchChromium();
  dir = await mkdtemp(join(tmpdir(), 'sv-first-'));
});

after(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

test('a host that answers every unknown path with index.html means "no config.json", silently', async () => {
  const server = await serveDist(DIST, { fallbackAll: true });
  const page = await browser.newPage();
  const problems = watch(page);
  try {
    const [config] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/config.json')),
      page.goto(`${server.url}/`),
    ]);
    assert.equal(config.status(), 200, 'the fallback answers config.json with the app page');
    await page.getByRole('heading', { name: 'Connections' }).waitFor();
    await page.getByRole('button', { name: 'Add connection' }).waitFor();
    assert.doesNotMatch(await page.locator('main').textContent(), /config\.json (cannot|could not)/);
    assert.equal(await page.getByRole('alert').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await server.close();
  }
});

test('JSON indented with non-breaking spaces (copied from the vendor page) opens', async () => {
  const server = await serveDist(DIST);
  const page = await browser.newPage();
  const problems = watch(page, { allowResponse: (r) => r.status() === 404 && r.url().endsWith('/config.json') });
  try {
    const pasted = join(dir, 'pasted.json');
    await writeFile(pasted, (await readFile(SEED, 'utf8')).replaceAll('  ', '\u00a0\u00a0'));
    await page.goto(`${server.url}/`);
    await page.getByLabel('Open file').setInputFiles(pasted);
    await page.locator('tr.tl-row').first().waitFor();
    assert.equal(await page.locator('tr.tl-row').count(), 5);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await server.close();
  }
});
