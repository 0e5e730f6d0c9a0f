// Many Kring tabs in one browser: they share one live connection, so open
// threads never use up the browser's six connections per host; every tab
// still gets its posts, also after the tab that held the connection closed.
// And what every page downloads: content-named, precompressed, kept for good.
import assert from 'node:assert/strict';
import { journeys, logIn } from './support.mjs';

const journey = journeys();
// "Working with grandparents as carers" and "Our first steps with a parent network" in the demo.
const GRANDPARENTS = 3;
const PARENT_NETWORK = 4;

async function sendReply(page, text) {
  await page.fill('#reply textarea[name=body]', text);
  await Promise.all([page.waitForNavigation(), page.click('#reply button[type=submit]')]);
}

async function arrives(page, text) {
  await page.locator('#posts article.post', { hasText: text }).waitFor({ timeout: 10000 });
}

journey('ten live thread tabs share one connection; an eleventh page loads and posts reach every tab', async (kring) => {
  const reader = await kring.browser.newContext();
  const liveRequests = [];
  reader.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/live')) liveRequests.push(request.url());
  });
  const first = await reader.newPage();
  await logIn(first, kring.base, 'priya@demo.kring');
  const tabs = [first];
  for (let i = 1; i < 10; i++) tabs.push(await reader.newPage());
  const threadOf = (i) => (i < 5 ? GRANDPARENTS : PARENT_NETWORK);
  for (const [i, tab] of tabs.entries()) {
    await tab.goto(`${kring.base}/forum/threads/${threadOf(i)}`);
    await tab.locator('.live-status[data-state="live"]').waitFor({ timeout: 10000 });
  }
  // With a connection per tab, the seventh would already wait for a free one.
  const eleventh = await reader.newPage();
  const response = await eleventh.goto(`${kring.base}/sessions`, { timeout: 2000, waitUntil: 'domcontentloaded' });
  assert.equal(response.status(), 200);
  assert.ok(liveRequests.every((url) => new URL(url).pathname === '/live'), liveRequests.join('\n'));

  const writer = await kring.browser.newContext();
  const writing = await writer.newPage();
  await logIn(writing, kring.base, 'rami@demo.kring');
  await writing.goto(`${kring.base}/forum/threads/${GRANDPARENTS}`);
  await sendReply(writing, 'Grandparents need a **say** in the plan.');
  await writing.goto(`${kring.base}/forum/threads/${PARENT_NETWORK}`);
  await sendReply(writing, 'Our network meets on **Saturdays**.');
  // Screen readers hear who wrote it.
  await tabs[1].locator('.live-status .visually-hidden', { hasText: 'New post by Rami Haddad' })
    .waitFor({ state: 'attached', timeout: 10000 });
  for (const [i, tab] of tabs.entries()) {
    await arrives(tab, threadOf(i) === GRANDPARENTS ? 'a say in the plan' : 'meets on Saturdays');
    // Once each, and not in the other thread.
    assert.equal(await tab.locator('#posts article.post', { hasText: 'a say in the plan' }).count(),
      threadOf(i) === GRANDPARENTS ? 1 : 0);
  }

  // The tab that opened first (and so holds the connection) closes, and one
  // of each thread's others: the rest still get new posts, once each.
  await tabs[0].close();
  await tabs[5].close();
  const open = tabs.filter((_, i) => i !== 0 && i !== 5);
  await writing.goto(`${kring.base}/forum/threads/${PARENT_NETWORK}`);
  await sendReply(writing, 'And after the first tab closed, too.');
  for (const tab of open.filter((_, i) => i >= 4)) await arrives(tab, 'after the first tab closed');
  for (const tab of open) {
    assert.equal(await tab.locator('#posts article.post', { hasText: 'meets on Saturdays' }).count(),
      tabs.indexOf(tab) >= 5 ? 1 : 0);
  }
  await writer.close();
  await reader.close();
});

journey('when the leading tab freezes, a visible tab takes the lead and its posts keep coming', async (kring) => {
  const reader = await kring.browser.newContext();
  const leading = await reader.newPage();
  await logIn(leading, kring.base, 'lucia@demo.kring');
  await leading.goto(`${kring.base}/forum/threads/${PARENT_NETWORK}`);
  await leading.locator('.live-status[data-state="live"]').waitFor({ timeout: 10000 });
  const other = await reader.newPage();
  await other.goto(`${kring.base}/forum/threads/${PARENT_NETWORK}`);
  await other.locator('.live-status[data-state="live"]').waitFor({ timeout: 10000 });
  // As a phone freezes a tab in the background: its scripts stop, its lock stays held.
  const debugging = await reader.newCDPSession(leading);
  await debugging.send('Debugger.enable');
  await debugging.send('Debugger.pause');

  const writer = await kring.browser.newContext();
  const writing = await writer.newPage();
  await logIn(writing, kring.base, 'sanne@demo.kring');
  await writing.goto(`${kring.base}/forum/threads/${PARENT_NETWORK}`);
  await sendReply(writing, 'Written while the first tab was frozen.');
  // The other tab hears nothing from the leader for 15 s, takes the lead and catches up.
  await other.locator('#posts article.post', { hasText: 'while the first tab was frozen' }).waitFor({ timeout: 40000 });
  await debugging.send('Debugger.resume');
  await writer.close();
  await reader.close();
});

journey('a browser without Web Locks follows a thread on its own connection', async (kring) => {
  const reader = await kring.browser.newContext();
  await reader.addInitScript(() => { delete Navigator.prototype.locks; });
  const reading = await reader.newPage();
  const streams = [];
  reading.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/live')) streams.push(new URL(request.url()).pathname);
  });
  await logIn(reading, kring.base, 'amara@demo.kring');
  await reading.goto(`${kring.base}/forum/threads/${GRANDPARENTS}`);
  await reading.locator('.live-status[data-state="live"]').waitFor({ timeout: 10000 });
  assert.deepEqual(streams, [`/live/threads/${GRANDPARENTS}`]);
  const writer = await kring.browser.newContext();
  const writing = await writer.newPage();
  await logIn(writing, kring.base, 'wanjiru@demo.kring');
  await writing.goto(`${kring.base}/forum/threads/${GRANDPARENTS}`);
  await sendReply(writing, 'Heard without a shared connection.');
  await arrives(reading, 'Heard without a shared connection');
  await writer.close();
  await reader.close();
});

journey('the WebAssembly, JS and CSS are named after their content, precompressed and kept for a year', async (kring) => {
  const assets = [];
  const contexts = [];
  async function pageCollectingAssets() {
    const context = await kring.browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/pkg/')) assets.push(response);
    });
    return page;
  }
  const page = await pageCollectingAssets();
  // A page with behaviours: a thread, live once its WebAssembly runs.
  await logIn(page, kring.base, 'priya@demo.kring');
  const thread = await page.goto(`${kring.base}/forum/threads/${GRANDPARENTS}`);
  await page.locator('.live-status[data-state="live"]').waitFor();
  assert.equal(thread.headers()['cache-control'], 'private, no-cache');
  // A page with islands: the unit editor, whose toolbar appears once its WebAssembly runs.
  const editing = await pageCollectingAssets();
  await logIn(editing, kring.base, 'facilitator@demo.kring');
  await editing.goto(`${kring.base}/units/1/edit`);
  await editing.locator('.toolbar').waitFor({ state: 'visible' });
  const names = assets.map((response) => new URL(response.url()).pathname).sort();
  const modules = [['kring', 'css'], ['behaviours', 'js'], ['behaviours', 'wasm'], ['kring', 'js'], ['kring', 'wasm']];
  for (const [module, kind] of modules) {
    assert.ok(names.some((name) => new RegExp(`^/pkg/${module}\\.[A-Za-z0-9_-]{22}\\.${kind}$`).test(name)),
      `a content-named ${module} ${kind} among ${names.join(', ')}`);
  }
  for (const response of assets) {
    // The service worker's kept stylesheet is the offline journeys' concern; these are the server's answers.
    if (response.fromServiceWorker()) continue;
    const headers = await response.allHeaders();
    assert.equal(headers['cache-control'], 'public, max-age=31536000, immutable', response.url());
    assert.equal(headers['content-encoding'], 'br', response.url());
  }
  for (const context of contexts) await context.close();
});
