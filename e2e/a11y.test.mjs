// Accessibility (issue 15): axe-core (npm) audits the home page, a session list, a timeline, logon
// details, the connection editor and the embed mode, in light and in dark, and finds nothing
// serious or critical; and the main flow (open a sample, filter, log on, open a session's log,
// zoom, back) is done with the keyboard alone.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium, startSim, watch } from './harness.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = process.env.DIST ?? join(ROOT, 'dist');
const SIM = process.env.SIM ?? join(ROOT, 'target/sim/sv-sim');
const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const CONFIG = {
  connections: [
    { id: 'aws', kind: 'veeam-aws', label: 'AWS backups', baseUrl: '/vendors/aws', auth: 'password' },
    { id: 'ekran', kind: 'ekran', label: 'Ekran', baseUrl: '/vendors/ekran', auth: 'token' },
  ],
};

let dist;
let browser;
let sim;
let base;
let page;
let problems;

before(async () => {
  dist = await mkdtemp(join(tmpdir(), 'sv-a11y-'));
  await cp(DIST, dist, { recursive: true });
  await writeFile(join(dist, 'config.json'), JSON.stringify(CONFIG));
  ({ process: sim, base } = await startSim(SIM, ['--dist', dist, '--pam-auth', 'off']));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  sim?.kill();
  await rm(dist, { recursive: true, force: true });
});

beforeEach(async () => {
  page = await (await browser.newContext()).newPage();
  problems = watch(page);
});

afterEach(async () => {
  await page.context().close();
  assert.deepEqual(problems, []);
});

/** axe-core's serious and critical violations on the page as it is, one line each. Evaluated,
 * not added as a <script> element, so that a strict CSP does not stand in its way. */
async function audit() {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  return violations;
}

const VIEWS = [
  ['the home page', '/', '#connections-heading'],
  ['a session list', '/sessions/sample-ekran', '[role=row][data-session-id]'],
  ['a timeline', '/log/sample-veeam-aws', '[data-status]'],
  ['logon details', '/logon/sample-veeam-em', '.logons'],
  ['a job view', '/job/sample-ekran?key=user%2061', '.job-facts'],
  ['the embed mode', '/sessions/sample-ekran?embed=1', '[role=row][data-session-id]'],
];

for (const scheme of ['light', 'dark']) {
  for (const [name, path, ready] of VIEWS) {
    test(`axe: ${name} in ${scheme}, nothing serious or critical`, async () => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${base}${path}`);
      await page.locator(ready).first().waitFor();
      assert.deepEqual(await audit(), []);
    });
  }

  test(`axe: the connection editor and a log-on form in ${scheme}, nothing serious or critical`, async () => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: 'Add connection' }).click();
    await page.getByLabel('Label').waitFor();
    assert.deepEqual(await audit(), []);
  });
}

test('axe: the audit does see a violation (a button without a name, text without contrast)', async () => {
  await page.goto(`${base}/`);
  await page.locator('#connections-heading').waitFor();
  await page.evaluate(() => {
    const main = document.querySelector('main');
    main.append(document.createElement('button'));
    const faint = document.createElement('p');
    faint.textContent = 'faint';
    // CSSOM setters, not a style attribute: allowed under the strict CSP.
    faint.style.color = '#c8c8c8';
    faint.style.backgroundColor = '#ffffff';
    main.append(faint);
  });
  const found = (await audit()).join('\n');
  assert.match(found, /critical button-name/);
  assert.match(found, /serious color-contrast/);
});

/** Presses Tab (Shift+Tab with `back`) until the focused element matches `selector`. */
async function tabTo(selector, { back = false, max = 80 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  assert.fail(`no focusable element matches ${selector} within ${max} tabs`);
}

test('the main flow with the keyboard alone', async () => {
  await page.goto(`${base}/`);
  await page.locator('[data-connection="aws"]').waitFor();

  // Open a sample from the home page's list of samples.
  await tabTo('a[href$="/sessions/sample-ekran"]');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/sessions\/sample-ekran$/);
  await page.locator('[role=row][data-session-id]').first().waitFor();
  // Filter: "/" goes to the filter.
  await page.keyboard.press('/');
  await page.keyboard.type('user:61');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === 'user:61');
  assert.equal(await page.locator('[role=row][data-session-id]').count(), 1);

  // Log on to a connection and open its sessions.
  await page.goto(`${base}/`);
  await page.locator('[data-connection="aws"]').waitFor();
  await tabTo('[data-connection="aws"] input[name="username"]');
  await page.keyboard.type('admin');
  await page.keyboard.press('Tab');
  await page.keyboard.type('admin');
  await page.keyboard.press('Enter');
  await page.locator('[data-connection="aws"]').getByRole('button', { name: 'Open sessions' }).waitFor();
  await tabTo('[data-connection="aws"] button.button:not(.secondary)', { back: true });
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/sessions\/live-aws$/);
  await page.locator('[role=row][data-session-id]').first().waitFor();

  // A session's log: pick a row with the arrows, Enter shows the session, its Log button opens
  // the log.
  await tabTo('[role=grid], [role=grid] *');
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await tabTo('[data-action="open-log"]');
  const list = page.url();
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/log\/live-aws-/);
  await page.locator('.tl-row[data-status], [data-status]').first().waitFor();

  // Zoom with "+" on the axis controls.
  await tabTo('.tl-axis button, .tl-axis input, .tl-axis [tabindex]');
  const before = await page.locator('.tl-axis').textContent();
  await page.keyboard.press('+');
  await page.waitForFunction((b) => document.querySelector('.tl-axis').textContent !== b, before);

  // Back to the list: headless Chromium has no browser keys (Alt+←), so through the header's
  // "Sessions", which lists what is open.
  await tabTo('header a[href="/sessions"]', { back: true });
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/sessions$/);
  await tabTo(`a[href="${new URL(list).pathname}"]`);
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname === new URL(list).pathname);
  await page.locator('[role=row][data-session-id]').first().waitFor();
});
