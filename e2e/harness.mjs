// Shared by the end-to-end suites: Debian's Chromium launched the way this machine needs, and
// the watch every test keeps on a page (console errors, page errors, failed responses, requests
// that leave loopback).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

/** Headless Chromium from the system (never a downloaded browser). */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Collects what should not happen on `page` into the returned array: console errors, page
 * errors, Content-Security-Policy violations (every page is served under SPEC §3.7's policy, see
 * `CSP` in server.mjs), requests off loopback, and responses of 400 or more unless
 * `allowResponse(response)` says they are expected. The browser's own "Failed to load resource" console lines name no URL;
 * failed responses are reported by URL instead.
 */
export function watch(page, { allowResponse = () => false } = {}) {
  const problems = [];
  // A listener in every document before its own scripts run: a violation is said as a console
  // error, which the listener below records (Chromium's own "Refused to …" line is one too).
  page
    .addInitScript(() =>
      addEventListener('securitypolicyviolation', (e) =>
        console.error(`securitypolicyviolation: ${e.effectiveDirective} refused ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`),
      ),
    )
    .catch((e) => problems.push(`watch: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console error: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !allowResponse(r) && !versionRefused(r)) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const { protocol, hostname } = new URL(r.url());
    if (protocol.startsWith('http') && hostname !== '127.0.0.1') problems.push(`request off loopback: ${r.url()}`);
  });
  return problems;
}

/** VBA "automatic" steps down through the revisions a server refuses (400 to a request that
 * names its `x-api-version`): expected on the way to the one it serves. */
const versionRefused = (r) => r.status() === 400 && r.request().headers()['x-api-version'] !== undefined;

/** config.json is optional (SPEC §3.2): its 404 is the "no connections" case. */
export const missingConfig = (r) => r.status() === 404 && r.url().endsWith('/config.json');


/** Starts the simulator binary with `args` on an ephemeral loopback port; resolves its base URL. */
export async function startSim(bin, args) {
  const process = spawn(bin, ['--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(createInterface({ input: process.stdout }), 'line');
  return { process, base: line.match(/http:\/\/127\.0\.0\.1:\d+/)[0] };
}
