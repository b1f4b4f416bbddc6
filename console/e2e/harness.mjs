// Starts a real `iz serve` on a fresh data folder with one user per role, and a real Chromium
// (Debian's, driven by playwright-core). Screenshots go to $IZ_ARTIFACTS (default
// ../artifacts/screenshots) so a person can look at every page after a run.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const here = new URL('.', import.meta.url).pathname;
export const BIN = process.env.IZ_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, '.cache/iz-target'), 'debug/iz');
export const ARTIFACTS = resolve(process.env.IZ_ARTIFACTS ?? join(here, '../../artifacts/screenshots'));
export const PASSWORD = 'correct horse battery staple';

/** The people of the test: name → [role, region]. */
export const USERS = {
  'aigerim': ['admin', null],
  'almaty-duty': ['operator', 'KZ-75'],
  'astana-duty': ['operator', 'KZ-71'],
  'prosecutor': ['prosecutor', null],
  'analyst': ['analyst', null],
  'probation': ['probation_officer', 'KZ-75'],
};

function iz(args, input) {
  return execFileSync(BIN, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }).trim();
}

async function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

export async function start() {
  const data = mkdtempSync(join(tmpdir(), 'iz-e2e-'));
  for (const [name, [role, region]] of Object.entries(USERS)) {
    iz(['user', 'add', '--data', data, '--name', name, '--role', role, ...(region ? ['--region', region] : [])], PASSWORD + '\n');
  }
  const token = (role) => iz(['token', 'issue', '--data', data, '--role', role, '--label', 'e2e']).split('\n').pop();
  const tokens = { ingest: token('ingest'), admin: token('admin') };
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(BIN, ['serve', '--data', data, '--addr', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, RUST_LOG: 'warn' },
  });
  let log = '';
  server.stderr.on('data', (d) => (log += d));
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(base + '/healthz')).ok) break;
    } catch {}
    if (i > 200 || server.exitCode !== null) throw new Error('iz serve did not start:\n' + log);
    await new Promise((r) => setTimeout(r, 50));
  }
  const browser = await chromium.launch({
    executablePath: process.env.IZ_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    base,
    data,
    tokens,
    browser,
    /** Calls the API with a bearer token. */
    async api(method, path, body, token = tokens.admin) {
      const r = await fetch(base + path, {
        method,
        headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await r.text();
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
      return text ? JSON.parse(text) : null;
    },
    /** A fresh browser context (its own cookies) signed in as `name`, on `path`. */
    async signIn(name, path = '/', lang = 'en') {
      const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'en-GB' });
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error(`[${name}] page error:`, e.message));
      await page.addInitScript((l) => localStorage.getItem('iz.lang') || localStorage.setItem('iz.lang', l), lang);
      await page.goto(base + path);
      await page.fill('input[name=name]', name);
      await page.fill('input[name=password]', PASSWORD);
      await page.click('button[type=submit]');
      await page.waitForSelector('[data-testid=who]');
      return page;
    },
    async shot(page, name) {
      await page.screenshot({ path: join(ARTIFACTS, name + '.png'), fullPage: true });
    },
    async stop() {
      await browser.close();
      server.kill('SIGTERM');
      await new Promise((r) => (server.exitCode !== null ? r() : server.on('exit', r)));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

// Reads what an element says once it says it: the page renders after clicks, typing and
// fetches, so a single read may come before the render. Fails with the text it last saw.
export async function sees(page, selector, pattern, timeout = 15_000) {
  const element = page.locator(selector).first();
  try {
    await page.locator(selector, { hasText: pattern }).first().waitFor({ timeout });
  } catch {
    assert.match((await element.textContent()) ?? '', pattern);
  }
}
