// Journeys an attacker would try in a real browser: a hostile post quoted, a
// hostile draft opened in the editor, and a script injected into a page, which
// the Content-Security-Policy refuses while everything of Kring's own still runs.
import assert from 'node:assert/strict';
import { journeys, logIn } from './support.mjs';

const journey = journeys();
const WELCOME_THREAD = 7;
// Ends the field, then tries to run: as markup, as an event handler, as a script.
const HOSTILE = '</textarea><img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';

/** Notes every Content-Security-Policy refusal and every dialog on `page`, from its first script on. */
async function watch(page) {
  const dialogs = [];
  page.on('dialog', (dialog) => { dialogs.push(dialog.message()); dialog.dismiss(); });
  await page.addInitScript(() => {
    window.violations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.violations.push(event.violatedDirective);
    });
  });
  return dialogs;
}

journey('quoting a hostile post runs nothing and quotes its text as text', async (kring) => {
  const writer = await kring.browser.newContext();
  const writing = await writer.newPage();
  await logIn(writing, kring.base, 'lucia@demo.kring');
  await writing.goto(`${kring.base}/forum/threads/${WELCOME_THREAD}`);
  await writing.fill('#reply textarea[name=body]', HOSTILE);
  await Promise.all([writing.waitForNavigation(), writing.click('#reply button[type=submit]')]);
  const post = new URL(writing.url()).hash.replace('#post-', '');
  await writer.close();

  const reader = await kring.browser.newContext();
  const page = await reader.newPage();
  const dialogs = await watch(page);
  await logIn(page, kring.base, 'jana@demo.kring');
  await page.goto(`${kring.base}/forum/threads/${WELCOME_THREAD}?post=${post}`);
  await page.locator('.live-status[data-state="live"]').waitFor();
  await Promise.all([
    page.waitForNavigation(),
    page.locator(`#post-${post} a[data-quote]`).click(),
  ]);
  await page.locator('.live-status[data-state="live"]').waitFor();
  const quoted = await page.inputValue('#reply textarea[name=body]');
  assert.match(quoted, /^> \*\*Lucía Quispe\*\*:/);
  assert.ok(quoted.includes(HOSTILE), quoted);
  assert.equal(await page.locator('#reply img').count(), 0, 'no element made from the text');
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(dialogs, []);
  await reader.close();
});

journey('the editor opens a hostile draft as text and still works', async (kring) => {
  const context = await kring.browser.newContext();
  const page = await context.newPage();
  const dialogs = await watch(page);
  await logIn(page, kring.base, 'facilitator@demo.kring');
  const editor = await context.request.post(`${kring.base}/api/content/editor`, {
    form: { unit: '5', language: 'en' },
    headers: { Accept: 'application/json' },
  });
  const { base_number: base } = await editor.json();
  const saved = await context.request.post(`${kring.base}/api/content/draft`, {
    form: {
      'edit[unit]': '5',
      'edit[language]': 'en',
      'edit[base]': String(base),
      'edit[title]': HOSTILE.slice(0, 60),
      'edit[body]': HOSTILE,
    },
    headers: { Accept: 'application/json' },
  });
  assert.ok(saved.ok(), await saved.text());
  await page.goto(`${kring.base}/units/5/edit?lang=en`);
  // The island hydrates under the policy: its toolbar appears, and nothing of Kring's own is refused.
  await page.locator('.toolbar').waitFor({ state: 'visible' });
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.equal(await page.inputValue('textarea[name="edit[body]"]'), HOSTILE);
  assert.equal(await page.inputValue('input[name="edit[title]"]'), HOSTILE.slice(0, 60));
  // Nothing outside the preview was made from the text…
  const madeFromText = await page.evaluate(() => [...document.querySelectorAll('form.editor img, form.editor script')]
    .filter((element) => !element.closest('.preview')).length);
  assert.equal(madeFromText, 0);
  // …and the preview renders it as Markdown made safe: no handler, no script, no image from elsewhere.
  await page.locator('.preview .unit-body').waitFor();
  assert.equal(await page.locator('.preview [onerror], .preview script, .preview img[src]').count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(dialogs, []);
  await context.close();
});

journey('the page policy refuses an injected script while Kring\'s own islands run', async (kring) => {
  const context = await kring.browser.newContext();
  const page = await context.newPage();
  await watch(page);
  await logIn(page, kring.base, 'jana@demo.kring');
  await page.goto(`${kring.base}/forum/threads/${WELCOME_THREAD}`);
  // Kring's island connected: its script and WebAssembly ran under the policy.
  await page.locator('.live-status[data-state="live"]').waitFor();
  assert.deepEqual(await page.evaluate(() => window.violations), [], 'nothing of Kring\'s own was refused');
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.injected = 1';
    document.body.appendChild(script);
    const holder = document.createElement('div');
    holder.innerHTML = '<img src="/favicon.svg" onload="window.injected = 2">';
    document.body.appendChild(holder);
  });
  await page.waitForFunction(() => window.violations.length >= 2);
  assert.equal(await page.evaluate(() => window.injected), undefined);
  const refused = await page.evaluate(() => window.violations);
  assert.ok(refused.every((directive) => directive.startsWith('script-src')), refused.join(', '));
  await context.close();
});
