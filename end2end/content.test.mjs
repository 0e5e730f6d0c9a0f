// Journeys through module content: reading in one's language, and facilitators
// editing in the browser with a live preview, autosave and conflict merging.
import assert from 'node:assert/strict';
import { journeys, logIn } from './support.mjs';

const journey = journeys();
const BODY = 'textarea[name="edit[body]"]';

/** Opens the editor and waits until the WebAssembly has taken over (the toolbar shows). */
async function openEditor(page, base, unit, language = 'en') {
  await page.goto(`${base}/units/${unit}/edit?lang=${language}`);
  await page.locator('.toolbar').waitFor({ state: 'visible' });
}

/**
 * The tab goes away without a save, as in a crash: the document is replaced
 * while offline (accepting the leave warning), so none of its timers can run on.
 */
async function leaveWhileOffline(page, context) {
  page.once('dialog', (dialog) => dialog.accept());
  await page.goto('about:blank');
  await context.setOffline(false);
}

async function publish(page) {
  await Promise.all([page.waitForNavigation(), page.click('form.editor button[type=submit]:not([formaction])')]);
}

journey('a facilitator edits a unit, sees the preview follow, and publishes', async (kring) => {
  const context = await kring.browser.newContext();
  const page = await context.newPage();
  await logIn(page, kring.base, 'facilitator@demo.kring');
  await openEditor(page, kring.base, 4);
  const original = await page.inputValue(BODY);
  assert.ok(original.length > 1000, 'the demo unit has a substantive text');
  await page.fill(BODY, `${original}\n\n## Questions from Accra\n\nWhat does a **family group conference** need?`);
  // The preview is rendered by the server's renderer, a moment after typing stops.
  await page.locator('.preview .unit-body h2', { hasText: 'Questions from Accra' }).waitFor();
  assert.equal(await page.locator('.preview .unit-body strong', { hasText: 'family group conference' }).count(), 1);
  assert.match(await page.locator('.editor-status').textContent(), /\d+ words/);
  await page.fill('input[name="edit[title]"]', 'What gatekeeping means');
  await publish(page);
  assert.match(page.url(), /\/units\/4\?lang=en$/);
  assert.equal(await page.locator('article.unit h2', { hasText: 'Questions from Accra' }).count(), 1);
  await page.goto(`${kring.base}/units/4/history?lang=en`);
  assert.match(await page.locator('.diff').textContent(), /Questions from Accra/);
  await context.close();
});

journey('the toolbar and shortcuts mark the selected words', async (kring) => {
  const context = await kring.browser.newContext();
  const page = await context.newPage();
  await logIn(page, kring.base, 'facilitator@demo.kring');
  await openEditor(page, kring.base, 7);
  await page.fill(BODY, 'Listen first');
  await page.locator(BODY).evaluate((area) => area.setSelectionRange(0, 6));
  await page.locator('.toolbar button').first().click();
  assert.equal(await page.inputValue(BODY), '**Listen** first');
  await page.locator(BODY).evaluate((area) => area.setSelectionRange(11, 16));
  await page.keyboard.press('Control+i');
  assert.equal(await page.inputValue(BODY), '**Listen** _first_');
  await context.close();
});

journey('a Spanish reader reads Spanish; a Dutch reader reads English with a notice', async (kring) => {
  const lucia = await kring.browser.newContext();
  const page = await lucia.newPage();
  await logIn(page, kring.base, 'lucia@demo.kring');
  await page.goto(`${kring.base}/units/1`);
  assert.equal(await page.locator('article.unit h1').textContent(), 'Cada persona es experta en su propia vida');
  assert.equal(await page.locator('.notice.fallback').count(), 0);
  // Module 1's second unit was translated from an earlier English text.
  await page.goto(`${kring.base}/units/2`);
  assert.match(await page.locator('.outdated').textContent(), /El texto original ha cambiado/);
  await lucia.close();

  const sanne = await kring.browser.newContext();
  const dutch = await sanne.newPage();
  await logIn(dutch, kring.base, 'sanne@demo.kring');
  await dutch.goto(`${kring.base}/units/1`);
  assert.equal(await dutch.locator('.notice.fallback').textContent(), 'Nog niet vertaald in het Nederlands — getoond in het Engels.');
  assert.equal(await dutch.locator('article.unit h1').textContent(), 'Everyone is the expert of their own life');
  // Unit 3 does have a Dutch text.
  await dutch.goto(`${kring.base}/units/3`);
  assert.equal(await dutch.locator('article.unit h1').textContent(), 'De kring rond een kind');
  await sanne.close();
});

journey('two facilitators editing one unit: the second sees both texts, merges, and nothing is lost', async (kring) => {
  const josephContext = await kring.browser.newContext();
  const maartjeContext = await kring.browser.newContext();
  const joseph = await josephContext.newPage();
  const maartje = await maartjeContext.newPage();
  await logIn(joseph, kring.base, 'facilitator@demo.kring');
  await logIn(maartje, kring.base, 'admin@demo.kring');
  await openEditor(joseph, kring.base, 5);
  await openEditor(maartje, kring.base, 5);
  const original = await joseph.inputValue(BODY);

  await joseph.fill(BODY, `${original}\n\nJoseph adds a note on respite care in Kumasi.`);
  await publish(joseph);
  await maartje.fill(BODY, `${original}\n\nMaartje adds a note on parenting groups in Utrecht.`);
  await publish(maartje);

  // Refused, not lost: both versions side by side, her text still in the editor.
  const conflict = maartje.locator('.conflict');
  await conflict.waitFor();
  assert.match(await conflict.textContent(), /Joseph adds a note on respite care in Kumasi/);
  assert.match(await conflict.textContent(), /Maartje adds a note on parenting groups in Utrecht/);
  assert.match(await maartje.inputValue(BODY), /Maartje adds a note/);

  await maartje.locator('.toolbar').waitFor({ state: 'visible' });
  await maartje.fill(BODY, `${original}\n\nJoseph adds a note on respite care in Kumasi.\n\nMaartje adds a note on parenting groups in Utrecht.`);
  await publish(maartje);
  assert.match(maartje.url(), /\/units\/5\?lang=en$/);
  const text = await maartje.locator('article.unit').textContent();
  assert.match(text, /Joseph adds a note on respite care in Kumasi/);
  assert.match(text, /Maartje adds a note on parenting groups in Utrecht/);
  await josephContext.close();
  await maartjeContext.close();
});

journey('an autosaved draft survives a reload', async (kring) => {
  const context = await kring.browser.newContext();
  const page = await context.newPage();
  await logIn(page, kring.base, 'facilitator@demo.kring');
  await openEditor(page, kring.base, 6);
  await page.fill(BODY, 'A draft written on a slow connection in Yerevan.');
  // Saved within seconds, without pressing anything.
  await page.locator('.save-state', { hasText: 'Draft saved' }).waitFor({ timeout: 15000 });
  await page.reload();
  assert.equal(await page.inputValue(BODY), 'A draft written on a slow connection in Yerevan.');
  assert.equal(await page.locator('.notice', { hasText: 'You are continuing your saved draft.' }).count(), 1);
  // Readers still see the published text.
  await page.goto(`${kring.base}/units/6`);
  assert.doesNotMatch(await page.locator('article.unit').textContent(), /slow connection in Yerevan/);
  await context.close();
});

journey('text typed while the server is unreachable is kept in the browser and offered back', async (kring) => {
  const context = await kring.browser.newContext();
  const page = await context.newPage();
  await logIn(page, kring.base, 'facilitator@demo.kring');
  await openEditor(page, kring.base, 8);
  await context.setOffline(true);
  await page.fill(BODY, 'Words that never reached the server.');
  await page.locator('.save-state', { hasText: 'Could not reach Kring' }).waitFor({ timeout: 15000 });
  const kept = await page.evaluate(() => Object.entries(localStorage));
  assert.ok(kept.some(([, value]) => value === 'Words that never reached the server.'), JSON.stringify(kept));
  await leaveWhileOffline(page, context);
  const again = page;
  await openEditor(again, kring.base, 8);
  const offer = again.locator('.notice', { hasText: 'This browser kept a newer version' });
  await offer.waitFor({ timeout: 10000 }).catch(async (error) => {
    const state = await again.evaluate(() => Object.entries(localStorage));
    throw new Error(`${error.message}\nstorage: ${JSON.stringify(state)}\neditor: ${await again.inputValue(BODY)}`);
  });
  await offer.locator('button', { hasText: 'Restore it' }).click();
  assert.equal(await again.inputValue(BODY), 'Words that never reached the server.');
  await context.close();
});

journey('a facilitator drags a unit to a new place; a participant sees the new order and their progress', async (kring) => {
  const context = await kring.browser.newContext();
  const page = await context.newPage();
  await logIn(page, kring.base, 'facilitator@demo.kring');
  await page.goto(`${kring.base}/modules/2`);
  await page.locator('.reorder .hint').waitFor({ state: 'visible' });
  const ids = async () => page.locator('li[data-item]').evaluateAll((items) => items.map((item) => item.dataset.item));
  assert.deepEqual(await ids(), ['4', '5', '6']);
  await page.dragAndDrop('li[data-item="6"]', 'li[data-item="4"]');
  await page.locator('.reorder [role=status]', { hasText: 'New order saved.' }).waitFor();
  await page.reload();
  assert.deepEqual(await ids(), ['6', '4', '5']);
  await context.close();

  const amara = await kring.browser.newContext();
  const reader = await amara.newPage();
  await logIn(reader, kring.base, 'amara@demo.kring');
  await reader.goto(`${kring.base}/units/6`);
  await Promise.all([reader.waitForNavigation(), reader.click('form.unit-done button')]);
  await reader.goto(`${kring.base}/modules/2`);
  const titles = await reader.locator('ol.units li a').allTextContents();
  assert.deepEqual(titles, ['Reading a case together', 'What gatekeeping means', 'Early help that families ask for']);
  assert.match(await reader.locator('.progress').textContent(), /1 of 3 units done/);
  await amara.close();
});

journey('leaving the editor with text the server does not have yet asks first', async (kring) => {
  const context = await kring.browser.newContext();
  const page = await context.newPage();
  await logIn(page, kring.base, 'facilitator@demo.kring');
  await openEditor(page, kring.base, 7);
  await context.route('**/api/content/draft', (route) => route.abort());
  await page.locator(BODY).click();
  await page.keyboard.type(' More words.');
  await page.locator('.save-state', { hasText: 'Could not reach Kring' }).waitFor({ timeout: 15000 });
  const dialog = new Promise((resolve, reject) => {
    page.once('dialog', resolve);
    setTimeout(() => reject(new Error('no warning before leaving')), 10000);
  });
  await page.close({ runBeforeUnload: true });
  const asked = await dialog;
  assert.equal(asked.type(), 'beforeunload');
  await asked.dismiss();
  assert.equal(page.isClosed(), false, 'the editor stays open with the text');
  // Once the server has the text, leaving asks nothing.
  await context.unroute('**/api/content/draft');
  await page.locator('.save-state', { hasText: 'Draft saved' }).waitFor({ timeout: 15000 });
  await context.close();
});

journey('a browser copy typed before someone else published comes back through the conflict view', async (kring) => {
  const context = await kring.browser.newContext();
  const page = await context.newPage();
  await logIn(page, kring.base, 'facilitator@demo.kring');
  await openEditor(page, kring.base, 3);
  const original = await page.inputValue(BODY);
  await context.setOffline(true);
  await page.fill(BODY, `${original}\n\nWritten on the bus, offline.`);
  await page.locator('.save-state', { hasText: 'Could not reach Kring' }).waitFor({ timeout: 15000 });
  await leaveWhileOffline(page, context);

  // Meanwhile a colleague publishes a new revision.
  const other = await kring.browser.newContext();
  const colleague = await other.newPage();
  await logIn(colleague, kring.base, 'admin@demo.kring');
  await openEditor(colleague, kring.base, 3);
  await colleague.fill(BODY, `${original}\n\nA colleague's correction.`);
  await publish(colleague);
  await other.close();

  const again = page;
  await openEditor(again, kring.base, 3);
  const offer = again.locator('.notice', { hasText: 'This browser kept a newer version' });
  await offer.waitFor({ timeout: 10000 }).catch(async (error) => {
    const state = await again.evaluate(() => Object.keys(localStorage));
    throw new Error(`${error.message}\nstorage: ${JSON.stringify(state)}\neditor: ${await again.inputValue(BODY)}`);
  });
  await offer.locator('button', { hasText: 'Restore it' }).click();
  await publish(again);
  // Not published over the colleague's text: both are shown to merge.
  const conflict = again.locator('.conflict');
  await conflict.waitFor();
  assert.match(await conflict.textContent(), /A colleague's correction\./);
  assert.match(await again.inputValue(BODY), /Written on the bus, offline\./);
  await context.close();
});
