// Journeys through the forum: posts arriving live in another browser, a dropped
// connection catching up, mentions that notify, circles closed to outsiders,
// and posting without the WebAssembly.
import assert from 'node:assert/strict';
import { journeys, logIn } from './support.mjs';

const journey = journeys();
// "Working with grandparents as carers" and "Our first steps with a parent network" in the demo.
const GRANDPARENTS = 3;
const PARENT_NETWORK = 4;
const CIRCLE_THREAD = 8;

async function openThread(page, base, thread) {
  await page.goto(`${base}/forum/threads/${thread}`);
  // The live connection is up once the WebAssembly has connected.
  await page.locator('.live-status[data-state="live"]').waitFor();
}

async function sendReply(page, text) {
  await page.fill('#reply textarea[name=body]', text);
  await Promise.all([page.waitForNavigation(), page.click('#reply button[type=submit]')]);
}

/** The text of every post in the thread, in page order. */
async function postTexts(page) {
  return page.locator('#posts article.post .post-body').allTextContents();
}

journey('a reply appears in another browser on the same thread without a reload', async (kring) => {
  const writer = await kring.browser.newContext();
  const reader = await kring.browser.newContext();
  const writing = await writer.newPage();
  const reading = await reader.newPage();
  await logIn(writing, kring.base, 'rami@demo.kring');
  await logIn(reading, kring.base, 'priya@demo.kring');
  await openThread(reading, kring.base, GRANDPARENTS);
  await reading.evaluate(() => { window.notReloaded = true; });
  await openThread(writing, kring.base, GRANDPARENTS);
  await sendReply(writing, 'We also write down **who decides what**, together with the grandparents.');
  const arrived = reading.locator('#posts article.post', { hasText: 'who decides what' });
  await arrived.waitFor({ timeout: 5000 });
  assert.equal(await arrived.locator('.post-body strong').textContent(), 'who decides what');
  assert.equal(await arrived.locator('.author').textContent(), 'Rami Haddad');
  assert.equal(await reading.evaluate(() => window.notReloaded), true, 'no reload');
  await writer.close();
  await reader.close();
});

journey('after a dropped connection both posts made meanwhile appear once, in order', async (kring) => {
  const writer = await kring.browser.newContext();
  const reader = await kring.browser.newContext();
  const writing = await writer.newPage();
  const reading = await reader.newPage();
  await logIn(writing, kring.base, 'amara@demo.kring');
  await logIn(reading, kring.base, 'wanjiru@demo.kring');
  await openThread(reading, kring.base, GRANDPARENTS);
  await openThread(writing, kring.base, GRANDPARENTS);
  const before = (await postTexts(reading)).length;

  // The network goes: the page says so and stops listening; posts go on meanwhile.
  await reader.setOffline(true);
  await reading.locator('.live-status[data-state="reconnecting"]').waitFor({ timeout: 5000 });
  assert.match(await reading.locator('.live-status').textContent(), /reconnecting/i);
  await sendReply(writing, 'First while you were away');
  await sendReply(writing, 'Second while you were away');
  await reader.setOffline(false);

  await reading.locator('.live-status[data-state="live"]').waitFor({ timeout: 10000 });
  await reading.locator('#posts article.post', { hasText: 'Second while you were away' }).waitFor({ timeout: 10000 });
  const texts = (await postTexts(reading)).slice(before).map((text) => text.trim());
  assert.deepEqual(texts, ['First while you were away', 'Second while you were away']);
  await writer.close();
  await reader.close();
});

journey('a mention picked from the suggestions notifies the mentioned member', async (kring) => {
  const sanne = await kring.browser.newContext();
  const page = await sanne.newPage();
  await logIn(page, kring.base, 'sanne@demo.kring');
  await openThread(page, kring.base, PARENT_NETWORK);
  await page.locator('#reply textarea[name=body]').pressSequentially('What do you think, @luc');
  await page.locator('.mention-suggestions button', { hasText: 'Lucía Quispe' }).click();
  assert.equal(await page.inputValue('#reply textarea[name=body]'), 'What do you think, @lucia ');
  await page.locator('#reply textarea[name=body]').pressSequentially('about a shared budget?');
  await Promise.all([page.waitForNavigation(), page.click('#reply button[type=submit]')]);
  await sanne.close();

  const lucia = await kring.browser.newContext();
  const hers = await lucia.newPage();
  await logIn(hers, kring.base, 'lucia@demo.kring');
  await hers.goto(`${kring.base}/forum`);
  assert.equal(await hers.locator('.notifications-link .count').textContent(), '1');
  // The list is marked read by the page once shown (a post), never by loading it.
  const markedRead = hers.waitForResponse((response) => response.url().endsWith('/api/notifications/read'));
  await hers.click('.notifications-link');
  const notification = hers.locator('.notification.new a');
  assert.match(await notification.textContent(), /Sanne Bakker/);
  assert.ok((await markedRead).ok());
  await Promise.all([hers.waitForNavigation(), notification.click()]);
  assert.match(hers.url(), new RegExp(`/forum/threads/${PARENT_NETWORK}\\?post=(\\d+)#post-\\1$`));
  assert.equal(await hers.locator('.notifications-link .count').count(), 0, 'read once opened');
  await lucia.close();
});

journey('a member outside a consultation circle cannot open it', async (kring) => {
  const context = await kring.browser.newContext();
  const page = await context.newPage();
  await logIn(page, kring.base, 'priya@demo.kring');
  await page.goto(`${kring.base}/forum/cohorts/1`);
  const circle = page.locator('.circle', { hasText: 'Returning home after two years' });
  assert.equal(await circle.locator('h3 a').count(), 0, 'no link into the circle');
  await page.goto(`${kring.base}/forum/threads/${CIRCLE_THREAD}`);
  assert.match(await page.locator('.notice.error').textContent(), /permission/);
  assert.equal(await page.locator('text=Preparing the first weekend at home').count(), 0);
  await context.close();
});

journey('without WebAssembly a search finds the posts a member may read and opens one', async (kring) => {
  const search = async (email) => {
    const context = await kring.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await logIn(page, kring.base, email);
    await page.goto(`${kring.base}/search`);
    await page.fill('input[name=q]', 'weekend');
    await page.selectOption('select[name=in]', 'forum');
    await Promise.all([page.waitForNavigation(), page.click('form[role=search] button[type=submit]')]);
    return { context, page, results: page.locator('.search-results li') };
  };
  // Priya is in the cohort, not in the circle where the first weekend at home is discussed.
  const priya = await search('priya@demo.kring');
  assert.equal(await priya.results.filter({ hasText: 'Preparing the first weekend at home' }).count(), 0);
  const found = priya.results.filter({ hasText: 'weekend activity' });
  assert.equal(await found.count(), 1);
  assert.equal(await found.locator('mark').first().textContent(), 'weekend');
  await Promise.all([priya.page.waitForNavigation(), found.locator('h3 a').click()]);
  const [, post] = priya.page.url().match(/\/forum\/threads\/\d+\?post=(\d+)#post-\1$/);
  assert.match(await priya.page.locator(`#post-${post}`).textContent(), /A shared weekend activity/);
  await priya.context.close();
  // Lucía is in the circle and finds its posts too.
  const lucia = await search('lucia@demo.kring');
  assert.ok(await lucia.results.filter({ hasText: 'Preparing the first weekend at home' }).count() > 0);
  await lucia.context.close();
});

journey('without WebAssembly a thread reads and a reply posts through the plain form', async (kring) => {
  const context = await kring.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${kring.base}/login`);
  await page.fill('input[name=email]', 'jana@demo.kring');
  await page.fill('input[name=password]', 'kring-demo-2026');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/api/login"] button[type=submit]')]);
  await page.goto(`${kring.base}/forum/threads/${PARENT_NETWORK}`);
  await sendReply(page, 'Posted without any script');
  assert.match(page.url(), new RegExp(`/forum/threads/${PARENT_NETWORK}\\?post=(\\d+)#post-\\1$`));
  assert.equal(await page.locator('#posts article.post', { hasText: 'Posted without any script' }).count(), 1);
  await context.close();
});

journey('a case is brought with the template and replies are summarised by tag', async (kring) => {
  const context = await kring.browser.newContext();
  const page = await context.newPage();
  await logIn(page, kring.base, 'amara@demo.kring');
  await page.goto(`${kring.base}/forum/categories/4`);
  await page.fill('#new-thread input[name=title]', 'A boy who stays silent at school');
  await page.fill('#new-thread textarea[name=context_text]', 'A nine-year-old in foster care does not speak at school.');
  await page.fill('#new-thread textarea[name=question]', 'How can the school and the foster family work together?');
  await page.fill('#new-thread textarea[name=tried]', 'A weekly note between teacher and foster mother.');
  await page.check('#new-thread input[name=anonymous]');
  await Promise.all([page.waitForNavigation(), page.click('#new-thread button[type=submit]')]);
  assert.match(await page.locator('h1').textContent(), /A boy who stays silent at school/);
  assert.deepEqual(await page.locator('#posts article h2').allTextContents(),
    ['Context', 'The question for the group', 'What has been tried']);
  await page.selectOption('#reply select[name=tag]', 'question');
  await sendReply(page, 'Does he speak with other children at break time?');
  assert.match(await page.locator('.case-summary').textContent(), /Question \(1\)/);
  await context.close();
});

journey('a post refused for posting too fast comes back with its text and the reason', async (kring) => {
  const context = await kring.browser.newContext();
  const page = await context.newPage();
  await logIn(page, kring.base, 'anush@demo.kring');
  for (let n = 0; n < 6; n++) {
    const response = await page.request.post(`${kring.base}/api/forum/reply`, {
      form: { thread: String(PARENT_NETWORK), body: `Quick thought ${n}` },
      headers: { Accept: 'application/json' },
    });
    assert.equal(response.status(), 200);
  }
  await openThread(page, kring.base, PARENT_NETWORK);
  const text = 'A longer answer I took time to write.';
  await page.locator('#reply textarea[name=body]').pressSequentially(text);
  await Promise.all([page.waitForNavigation(), page.click('#reply button[type=submit]')]);
  assert.match(await page.locator('.notice.error').textContent(), /wait \d+ seconds/);
  await page.locator('.live-status[data-state="live"]').waitFor();
  assert.equal(await page.inputValue('#reply textarea[name=body]'), text);
  await context.close();
});

journey('quoting a selected passage puts just that passage in the reply, and notifies its author', async (kring) => {
  const context = await kring.browser.newContext();
  const page = await context.newPage();
  await logIn(page, kring.base, 'sanne@demo.kring');
  await openThread(page, kring.base, GRANDPARENTS);
  // Select "parents abroad" in Rami's reply, then choose Quote on that post.
  const post = page.locator('#posts article.post', { hasText: 'parents abroad to the same meeting' });
  await post.locator('.post-body p').evaluate((paragraph) => {
    const text = paragraph.firstChild;
    const start = text.textContent.indexOf('the parents abroad');
    const range = document.createRange();
    range.setStart(text, start);
    range.setEnd(text, start + 'the parents abroad'.length);
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(range);
  });
  const address = page.url();
  await post.locator('a[data-quote]').click();
  assert.equal(page.url(), address, 'no page load');
  assert.equal(await page.inputValue('#reply textarea[name=body]'), '> **Rami Haddad**:\n> the parents abroad\n\n');
  await page.locator('#reply textarea[name=body]').press('End');
  await page.locator('#reply textarea[name=body]').pressSequentially('How often do they join?');
  await Promise.all([page.waitForNavigation(), page.click('#reply button[type=submit]')]);
  const reply = page.locator('#posts article.post').last();
  assert.equal((await reply.locator('blockquote').textContent()).trim().replace(/\s+/g, ' '), 'Rami Haddad: the parents abroad');
  assert.equal(await reply.locator('a.quoting').count(), 1);
  await context.close();

  const rami = await kring.browser.newContext();
  const his = await rami.newPage();
  await logIn(his, kring.base, 'rami@demo.kring');
  await his.goto(`${kring.base}/notifications`);
  assert.equal(await his.locator('.notification.new', { hasText: 'Sanne Bakker quoted your post' }).count(), 1);
  await rami.close();
});
