// What each key page makes a phone download, from Chromium's own network log:
// the WebAssembly and JS (as sent, compressed) and everything in all, for a
// first visit with an empty cache. Run by scripts/budget.sh against a server
// with the demo data:
//   node scripts/budget-pages.mjs BASE
import { chromium } from 'playwright-core';

const base = process.argv[2];
const READING_PAGE_BUDGET = 40 * 1024;
const PAGES = [
  ['home', null, '/'],
  ['login', null, '/login'],
  ['agenda', 'priya@demo.kring', '/sessions'],
  ['unit', 'priya@demo.kring', '/units/1'],
  ['thread (reader)', 'priya@demo.kring', '/forum/threads/1'],
  ['forum', 'priya@demo.kring', '/forum'],
  ['unit editor', 'facilitator@demo.kring', '/units/1/edit'],
];

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function sessionFor(email) {
  const context = await browser.newContext();
  // A visitor whose zone is known: no reload to learn it.
  await context.addCookies([{ name: 'kring_tz', value: 'Africa/Nairobi', url: base }]);
  if (email) {
    const response = await context.request.post(`${base}/api/login`, {
      form: { email, password: 'kring-demo-2026' },
    });
    if (!response.ok()) throw new Error(`could not log in as ${email}`);
  }
  return context;
}

console.log(`${'page'.padEnd(34)} ${'wasm+js'.padStart(9)} ${'all'.padStart(9)}   (bytes as sent, first visit)`);
let over = false;
for (const [name, email, path] of PAGES) {
  const context = await sessionFor(email);
  const page = await context.newPage();
  const debugging = await context.newCDPSession(page);
  await debugging.send('Network.enable');
  await debugging.send('Network.setCacheDisabled', { cacheDisabled: true });
  const types = new Map();
  let code = 0;
  let all = 0;
  debugging.on('Network.responseReceived', ({ requestId, response }) => types.set(requestId, response.url));
  debugging.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    all += encodedDataLength;
    const url = types.get(requestId) || '';
    if (/\.(wasm|js)(\?|$)/.test(url)) code += encodedDataLength;
  });
  await page.goto(`${base}${path}`, { waitUntil: 'networkidle' });
  const reading = name !== 'unit editor';
  const verdict = reading && code > READING_PAGE_BUDGET ? '   over the 40 KB for a reading page' : '';
  if (verdict) over = true;
  console.log(`${`${name} ${path}`.padEnd(34)} ${String(code).padStart(9)} ${String(all).padStart(9)}${verdict}`);
  await context.close();
}
await browser.close();
console.log(over ? 'Some reading pages download more code than their budget.' : 'Every reading page is within its budget.');
if (over) process.exitCode = 1;
