// Starts a real Kring server on a fresh database and drives Debian's Chromium with Playwright.
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { test, before, after } from 'node:test';

export const DEMO_PASSWORD = 'kring-demo-2026';

/** How much of the server's log a failed journey prints. */
const LOG_LINES_ON_FAILURE = 80;

const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function freshDatabase() {
  const engine = process.env.E2E_DATABASE || 'sqlite';
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'kring-e2e-'));
    return { url: `sqlite:${dir}/kring.sqlite`, drop: () => rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = process.env.KRING_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `kring_e2e_${process.pid}_${Date.now()}`;
  try {
    execFileSync('psql', [admin, '-qc', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
  } catch (error) {
    if (process.env.KRING_SKIP_POSTGRES === '1') {
      console.error(`!!! PostgreSQL at ${admin} is unreachable; browser tests on PostgreSQL skipped (KRING_SKIP_POSTGRES=1)`);
      return null;
    }
    throw new Error(`!!! PostgreSQL at ${admin} is unreachable (${error.stderr}); set KRING_SKIP_POSTGRES=1 to skip`);
  }
  return {
    url: admin.replace(/\/[^/]*$/, `/${name}`),
    drop: () => execFileSync('psql', [admin, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { stdio: 'pipe' }),
  };
}

/** A port the system has just handed out as free. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts the server on a free port and waits until it answers. Another
 * process can still take the port in between; then it tries a new one.
 */
async function startServer(database) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(process.env.KRING_BIN || 'target/release/kring', [], {
      env: {
        ...process.env,
        KRING_ADDR: `127.0.0.1:${port}`,
        DATABASE_URL: database.url,
        KRING_DEMO: '1',
        KRING_SITE_ROOT: process.env.KRING_SITE_ROOT || 'target/site',
      },
      // The log is kept: without SMTP, the mails a person asks for are printed there.
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let log = '';
    child.stdout.on('data', (chunk) => { log += chunk; });
    const base = `http://127.0.0.1:${port}`;
    for (let wait = 0; wait < 150 && child.exitCode === null; wait++) {
      try {
        const response = await fetch(`${base}/healthz`);
        if (response.ok) return { child, base, log: () => log };
      } catch { /* not listening yet */ }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (child.exitCode === null) child.kill('SIGTERM');
    if (attempt === 3) throw new Error(`kring did not start (exit code ${child.exitCode})`);
  }
}

/** A running server with the demo program, or null when PostgreSQL is skipped. */
export async function startKring() {
  const database = freshDatabase();
  if (!database) return null;
  const { child, base, log } = await startServer(database);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
  return {
    base,
    browser,
    logText: log,
    /** Waits until the server prints `pattern` (the demo prints mails to its log without SMTP); the newest match. */
    async printed(pattern, seconds = 20) {
      for (let waited = 0; waited < seconds * 5; waited++) {
        // The newest: a later mail of the same kind replaces an earlier one.
        const matches = [...log().matchAll(new RegExp(pattern, 'g'))];
        if (matches.length) return matches[matches.length - 1];
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(`the server did not print ${pattern} within ${seconds} s`);
    },
    async stop() {
      await browser.close();
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      database.drop();
    },
  };
}

/** Logs in through the form, as a person would. */
export async function logIn(page, base, email, password = DEMO_PASSWORD) {
  await page.goto(`${base}/login`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/api/login"] button[type=submit]')]);
}

/**
 * Starts one server for a test file and returns `journey(name, body)`, which
 * runs `body(kring)` as a test named after the engine; it is skipped only when
 * PostgreSQL is deliberately skipped (KRING_SKIP_POSTGRES=1).
 */
export function journeys() {
  const engine = process.env.E2E_DATABASE || 'sqlite';
  let kring;
  before(async () => { kring = await startKring(); });
  after(async () => { await kring?.stop(); });
  return (name, body) => test(`[${engine}] ${name}`, async (t) => {
    if (!kring) return t.skip('PostgreSQL skipped');
    try {
      await body(kring);
    } catch (error) {
      // Where each page stood, and what the server logged (its errors, the mails
      // it printed), tell why a journey failed.
      const open = kring.browser.contexts().flatMap((context) => context.pages());
      console.error(`--- the journey's open pages:\n${open.map((page) => page.url()).join('\n')}`);
      const tail = kring.logText().split('\n').slice(-LOG_LINES_ON_FAILURE).join('\n');
      console.error(`--- the server's last ${LOG_LINES_ON_FAILURE} log lines:\n${tail}\n---`);
      throw error;
    }
  });
}
