// End-to-end: the release build in headless Chromium, served over loopback.
// Run by scripts/test.sh after `trunk build --release`; DIST may point at another build.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, truncate, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serveDist } from './server.mjs';
import { launchChromium, missingConfig, watch } from './harness.mjs';

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
  const context = await browser.newContext();
  page = await context.newPage();
  problems = watch(page, { allowResponse: missingConfig });
});

afterEach(async () => {
  await page.context().close();
});

/** The five seed rows as the page shows them. */
async function readRows() {
  const rows = page.locator('tr.tl-row');
  await rows.first().waitFor();
  return rows.evaluateAll((trs) =>
    trs.map((tr) => ({
      status: tr.dataset.status,
      durationMs: tr.dataset.durationMs,
      observedMs: tr.dataset.observedMs,
      start: tr.querySelector('time')?.getAttribute('datetime'),
      message: tr.querySelector('.tl-message')?.textContent,
      duration: tr.querySelector('.tl-duration')?.textContent,
      badge: tr.querySelector('.status')?.textContent,
      bar: ((b) => b && `left:${b.style.left};width:${b.style.width}`)(tr.querySelector('.tl-bar')),
    })),
  );
}

function assertSeedRows(rows) {
  assert.equal(rows.length, 5);
  assert.deepEqual(rows.map((r) => r.status), ['success', 'success', 'success', 'success', 'success']);
  assert.deepEqual(rows.map((r) => r.durationMs), ['0', '687', '31', '0', '0']);
  assert.deepEqual(rows.map((r) => r.observedMs), ['0', '609688', '104031', '0', '0']);
  assert.deepEqual(rows.map((r) => r.start), [
    '2020-06-20T19:12:00.514619Z',
    '2020-06-20T19:12:04.161597Z',
    '2020-06-20T19:14:13.888376Z',
    '2020-06-20T19:19:52.3988Z',
    '2020-06-20T19:22:46.807221Z',
  ]);
  assert.deepEqual(rows.map((r) => r.message), [
    "FLR task 'ubuntu16' started at 05/20/2020 21:11:59.",
    'Processing ubuntu16.',
    'Preparing the worker VM.',
    'File Level Recovery Browser is ready to work',
    'Session finished at 05/20/2020 21:22:46.',
  ]);
  // Durations in words; where reported and observed disagree, both are shown.
  assert.equal(rows[0].duration, '0 ms');
  assert.match(rows[1].duration, /687 ms.*observed 10 min 9 s/);
  assert.match(rows[2].duration, /31 ms.*observed 1 min 44 s/);
  assert.ok(rows.every((r) => r.badge.includes('Success')), 'status is shown as a word, not colour alone');
  assert.ok(rows.every((r) => /^left:[\d.]+%;width:[\d.]+%$/.test(r.bar)), 'every row has a bar');
  assert.match(rows[1].bar, /width:94\.33/);
}

test('without config.json the app starts with no connections and says how to add them', async () => {
  await page.goto(`${server.url}/`);
  await page.getByText('No connections are configured').waitFor();
  assert.deepEqual(problems, []);
});

test('opening the seed file through "Open file" shows the five-step timeline', async () => {
  await page.goto(`${server.url}/`);
  await page.getByLabel('Open file').setInputFiles(SEED);
  assertSeedRows(await readRows());
  assert.match(new URL(page.url()).pathname, /^\/log\/file-\d+$/);
  // The summary says which step took the time, without reading the rows.
  assert.match(await page.locator('.tl-summary').textContent(), /^5 entries over 10 min 46 s$/);
  const slowest = await page.locator('.tl-slowest li').allTextContents();
  assert.deepEqual(slowest, [
    'Processing ubuntu16. — 10 min 9 s (94% of the session)',
    'Preparing the worker VM. — 1 min 44 s (16% of the session)',
  ]);
  assert.equal(await page.getByRole('button', { name: /^First failure/ }).count(), 0, 'no failure to jump to');
  await page.locator('.tl-slowest li').nth(1).getByRole('button').click();
  // The row is focused in the animation frame after it is scrolled into view: wait for it (the
  // click's promise settles before that frame, which made this check flaky).
  await page.waitForFunction(() => document.activeElement?.id === 'entry-2', null, { timeout: 5000 });
  await assert.doesNotReject(page.getByRole('heading', { name: 'veeam-aws-session-log.json' }).waitFor());
  assert.deepEqual(problems, []);
});

test('"Try a sample" shows the sample, and its deep link survives a reload', async () => {
  await page.goto(`${server.url}/`);
  await page.getByRole('button', { name: 'Try a sample' }).click();
  assertSeedRows(await readRows());
  assert.equal(new URL(page.url()).pathname, '/log/sample-veeam-aws');
  await page.reload();
  assertSeedRows(await readRows());
  assert.deepEqual(problems, []);
});

test('the page is served under the strict CSP and has no inline script or style', async () => {
  const r = await fetch(`${server.url}/log/sample-veeam-aws`);
  assert.match(r.headers.get('content-security-policy'), /^default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self' /);
  const html = await r.text();
  assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/, 'every script is a file');
  assert.doesNotMatch(html, /\sstyle=|<style/, 'no inline style');
  assert.doesNotMatch(html, /(href|src)="data:/, 'no data: URL (the icon is a file)');
  // (Trunk minifies index.html in a release build: attributes may be unquoted.)
  assert.match(html, /<link[^>]*\shref="?\/favicon-\w+\.svg/);
});

test('a Content-Security-Policy violation is caught like a console error', async () => {
  await page.goto(`${server.url}/`);
  await page.getByText('No connections are configured').waitFor();
  assert.deepEqual(problems, []);
  // What the app must never do: a style attribute and an inline script.
  await page.evaluate(() => {
    document.body.setAttribute('style', 'outline: 1px solid red');
    const script = document.createElement('script');
    script.textContent = 'window.ran = 1';
    document.body.append(script);
  });
  for (let i = 0; i < 50 && problems.filter((p) => p.includes('securitypolicyviolation')).length < 2; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const seen = problems.filter((p) => p.startsWith('console error: securitypolicyviolation'));
  assert.ok(seen.some((p) => /style-src-attr/.test(p)), problems.join('\n'));
  assert.ok(seen.some((p) => /script-src-elem/.test(p)), problems.join('\n'));
  assert.equal(await page.evaluate(() => window.ran), undefined);
  problems.length = 0;
});

test('a file over 128 MB is refused by its size, before it is read', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sv-e2e-'));
  const huge = join(dir, 'huge.json');
  await writeFile(huge, '');
  await truncate(huge, 128 * 1024 * 1024 + 1); // sparse: no disk, and never read
  await page.goto(`${server.url}/`);
  await page.getByLabel('Open file').setInputFiles(huge);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /huge\.json.*over 128 MB/);
  // Still usable: the seed opens afterwards.
  await page.getByLabel('Open file').setInputFiles(SEED);
  assert.equal((await readRows()).length, 5);
  assert.deepEqual(problems, []);
});

test('a file that is not a known payload gets a clear message and the app still works', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sv-e2e-'));
  const bad = join(dir, 'not-a-log.json');
  await writeFile(bad, '{"value": [{"Username": "CONTOSO\\\\jen"}]');
  const alsoBad = join(dir, 'photo.json');
  await writeFile(alsoBad, Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
  await page.goto(`${server.url}/`);
  await page.getByLabel('Open file').setInputFiles([bad, alsoBad]);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const text = await alert.textContent();
  assert.match(text, /not-a-log\.json.*broken at line 1/);
  assert.match(text, /photo\.json.*not a text file/);
  // Still usable: the seed opens afterwards.
  await page.getByLabel('Open file').setInputFiles(SEED);
  assert.equal((await readRows()).length, 5);
  assert.deepEqual(problems, []);
});

test('every vendor sample opens on its page from a deep link', async () => {
  // Veeam Backup for Microsoft 365: five log items, ordered by usn, durations from start/end.
  await page.goto(`${server.url}/log/sample-veeam-m365`);
  const m365 = await readRows();
  assert.deepEqual(m365.map((r) => r.status), ['success', 'success', 'success', 'success', 'success']);
  assert.deepEqual(m365.map((r) => r.durationMs), ['0', '4028', '7084', '7087', '11795']);
  assert.equal(m365[0].start, '2017-04-04T07:07:21.366416Z');
  assert.equal(m365[1].message, 'Connected to organization');

  // Ekran System: two closed sessions with their ids and clients.
  await page.goto(`${server.url}/sessions/sample-ekran`);
  const ekran = page.locator('[role=row][data-session-id]');
  await ekran.first().waitFor();
  assert.deepEqual(await ekran.evaluateAll((trs) => trs.map((t) => [t.dataset.sessionId, t.dataset.status, t.dataset.durationMs])), [
    ['124', 'ended', '0'],
    ['142', 'ended', '0'],
  ]);
  assert.match(await ekran.first().textContent(), /1d4fegdr-g3ff-4114-a814-f3aeee14dgdg/);
  assert.equal(await ekran.first().locator('time').first().getAttribute('datetime'), '2000-01-23T04:56:07Z');

  // Enterprise Manager (XML): user, session id, links grouped by relation.
  await page.goto(`${server.url}/logon/sample-veeam-em`);
  const em = page.locator('article.logon');
  await em.waitFor();
  assert.equal(await em.getAttribute('data-user'), 'ENTERPRISE04\\Administrator');
  assert.match(await em.textContent(), /5496707f-c814-47ce-8d6d-110aa03cec03/);
  assert.deepEqual(await em.locator('table.links caption').allTextContents(), ['Up', 'Delete', 'Down']);
  assert.equal(await em.locator('table.links tbody tr').count(), 6);

  // MIM PAM: who is logged on.
  await page.goto(`${server.url}/logon/sample-mim-pam`);
  await assert.doesNotReject(page.getByRole('heading', { level: 2, name: 'FIMCITONEBOXAD\\Jen' }).waitFor());
  assert.deepEqual(problems, []);
});

test('files of every kind open through "Open file" at once, error responses are named', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sv-e2e-'));
  const problem = join(dir, 'expired.json');
  await writeFile(problem, '{"type":"x","title":"Access token has expired.","status":401,"errorCode":"ExpiredToken"}');
  const samples = ['ekran-sessions.json', 'veeam-em-logon-session.json', 'mim-pam-sessioninfo.json', 'veeam-m365-log-items.json'];
  await page.goto(`${server.url}/`);
  await page.getByLabel('Open file').setInputFiles([problem, ...samples.map((f) => join(ROOT, 'public/samples', f))]);
  // The first file that opened is shown; the error response is reported by name.
  await page.locator('[role=row][data-session-id]').first().waitFor();
  assert.match(await page.getByRole('alert').textContent(), /expired\.json.*error response from Veeam Backup for AWS: Access token has expired\. \(ExpiredToken\)/);
  await page.getByRole('link', { name: 'Session Viewer' }).click();
  const opened = await page.locator('ul.opened li').allTextContents();
  assert.equal(opened.length, 4);
  assert.match(opened.join('\n'), /mim-pam-sessioninfo\.json — Microsoft Identity Manager PAM, 1 logon session/);
  assert.deepEqual(problems, []);
});

test('deep links to every view render after a reload, unknown paths say so', async () => {
  for (const [path, heading] of [
    ['/sessions', 'Sessions'],
    ['/logon', 'Logon sessions'],
    ['/log', 'Session log timelines'],
    ['/log/file-7', 'This document is not open'],
    ['/no/such/page', 'Nothing here'],
  ]) {
    await page.goto(`${server.url}${path}`);
    await assert.doesNotReject(page.getByRole('heading', { level: 1, name: heading }).waitFor(), path);
  }
  assert.deepEqual(problems, []);
});

test('files dropped anywhere on the page open like chosen ones', async () => {
  await page.goto(`${server.url}/sessions`);
  const files = ['ekran-sessions.json', 'veeam-aws-session-log.json'].map((f) => ({
    name: f,
    text: readFileSync(join(ROOT, 'public/samples', f), 'utf8'),
  }));
  const transfer = await page.evaluateHandle((files) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([f.text], f.name, { type: 'application/json' }));
    return dt;
  }, files);
  await page.dispatchEvent('.shell', 'dragover', { dataTransfer: transfer });
  assert.ok(await page.locator('.shell.dragging').count(), 'the drop hint shows while dragging');
  await page.dispatchEvent('.shell', 'drop', { dataTransfer: transfer });
  // The first file opened is shown; both are listed as open.
  await page.locator('[role=row][data-session-id="124"]').waitFor();
  assert.equal(await page.locator('.shell.dragging').count(), 0);
  await page.goto(`${server.url}/log`);
  // A full page load starts empty: nothing was stored.
  await page.getByText('Nothing is open.').waitFor();
  assert.equal(await page.locator('ul.opened li').count(), 0);
  assert.deepEqual(problems, []);
});

test('a person opening the hostile corpus gets readable messages and a working page', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sv-hostile-'));
  const write = async (name, body) => {
    const path = join(dir, name);
    await writeFile(path, body);
    return path;
  };
  const huge = 'x'.repeat(10 * 1024 * 1024);
  const hostile = [
    await write('bomb.xml', '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><LogonSession><UserName>&lol;</UserName></LogonSession>'),
    await write('cut.xml', '<LogonSession xmlns="http://www.veeam.com/ent/v1.0"><Links><Link Rel="Up" Href="h"/></Links><UserName>x'),
    await write('cut.json', '{"sessionId":"s","log":[{"status":"Success","message":"half'),
    await write('nested.json', '['.repeat(50_000) + ']'.repeat(50_000)),
    await write('latin1.json', Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d])),
    await write('page.html', '<html><body><script>window.pwned = 1</script>502 Bad Gateway</body></html>'),
  ];
  await page.goto(`${server.url}/`);
  await page.getByLabel('Open file').setInputFiles(hostile);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const text = await alert.textContent();
  for (const [name, words] of [
    ['bomb.xml', /document type declaration/],
    ['cut.xml', /XML is broken .*ends before <\/UserName>/],
    ['cut.json', /JSON is broken at line 1/],
    ['nested.json', /a JSON array of values that are not objects/],
    ['latin1.json', /not a text file/],
    ['page.html', /root is <html>/],
  ]) {
    assert.match(text, new RegExp(`${name.replace('.', '\\.')}: .*`), name);
    const line = (await alert.locator('li', { hasText: name }).textContent()) ?? '';
    assert.match(line, words, line);
  }
  assert.equal(await page.evaluate(() => window.pwned), undefined, 'markup in files is never run');

  // A 10 MB message and a bad item beside good ones: the rest renders, clipped, and the skip is named.
  const big = await write('big.json', JSON.stringify({
    sessionId: 's',
    log: [
      { status: 'Warning', message: huge, executionStartTime: '2021-01-01T00:00:00', logTime: '2021-01-01T00:00:03' },
      { status: 'Success', message: '<img src=x onerror="window.pwned=2">', executionStartTime: '2021-01-01T00:00:01' },
      { status: 'Success', executionStartTime: '2021-13-01T00:00:00' },
    ],
  }));
  await page.getByRole('link', { name: 'Session Viewer' }).click();
  await page.getByLabel('Open file').setInputFiles(big);
  const rows = await readRows();
  assert.deepEqual(rows.map((r) => r.status), ['warning', 'success']);
  assert.ok(rows[0].message.length < 1000 && rows[0].message.includes('more characters'), 'clipped, not laid out whole');
  assert.equal(rows[1].message, '<img src=x onerror="window.pwned=2">');
  assert.match(await page.locator('details.notice summary').textContent(), /1 of 3 entries could not be read/);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(problems, []);
});
