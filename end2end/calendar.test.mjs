// Journeys through the session calendar in a real browser with emulated time zones.
import assert from 'node:assert/strict';
import { journeys, logIn } from './support.mjs';

const journey = journeys();

// The demo's public information meeting: a Thursday, 13:00–14:00 GMT, always
// at least a week ahead (Amsterdam's hour depends on its summer time then).
const MEETING = [
  ['America/Lima', /Thu \d{1,2} \w{3}, 08:00–09:00 Lima time/],
  ['Asia/Kathmandu', /Thu \d{1,2} \w{3}, 18:45–19:45 Kathmandu time/],
  ['Europe/Amsterdam', /Thu \d{1,2} \w{3}, (14:00–15:00|15:00–16:00) Amsterdam time/],
];

for (const [timezoneId, local] of MEETING) {
  journey(`a visitor in ${timezoneId} sees the 13:00 GMT meeting in local time, server-rendered`, async (kring) => {
    const context = await kring.browser.newContext({ timezoneId, locale: 'en-GB' });
    const page = await context.newPage();
    // First visit: the server does not know the zone yet and says so (UTC);
    // the browser tells it, and the page reloads in local time.
    const first = await context.request.get(`${kring.base}/sessions`);
    assert.match(await first.text(), /13:00–14:00 UTC/);
    await page.goto(`${kring.base}/sessions`);
    await page.waitForFunction((source) => new RegExp(source).test(document.body.textContent), local.source);
    // Second visit: the very first HTML from the server is already local.
    const second = await page.goto(`${kring.base}/sessions`);
    const html = await second.text();
    assert.match(html, local, 'the server HTML is local');
    assert.ok(html.includes('13:00 GMT'), 'and the host time with its label');
    // The WebAssembly changes nothing: the text stays as the server rendered it.
    await page.waitForLoadState('networkidle');
    const item = page.locator('li.session', { hasText: 'Information meeting: the Mutual Learning Program' });
    assert.match(await item.textContent(), local);
    await context.close();
  });
}

journey('members see where a series shifts in their own time', async (kring) => {
  const sanne = await kring.browser.newContext({ timezoneId: 'Europe/Amsterdam' });
  const page = await sanne.newPage();
  await logIn(page, kring.base, 'sanne@demo.kring');
  await page.goto(`${kring.base}/sessions`);
  // The English group meets at 13:00 GMT all year: 14:00 in Amsterdam in winter, 15:00 from 1 April.
  const shifted = page.locator('li.session', { hasText: 'Vanaf 1 april is deze sessie om 15:00 jouw tijd.' });
  assert.equal(await shifted.count(), 1);
  assert.match(await shifted.textContent(), /do 1 apr, 15:00–17:00 tijd in Amsterdam · 13:00 GMT/);

  const lucia = await kring.browser.newContext({ timezoneId: 'America/Lima' });
  const limaPage = await lucia.newPage();
  await logIn(limaPage, kring.base, 'lucia@demo.kring');
  await limaPage.goto(`${kring.base}/sessions`);
  // The Spanish group meets at 14:00 London time: 09:00 in Lima in winter, 08:00 once London is on BST.
  const notice = limaPage.locator('li.session', { hasText: 'Desde el 1 de abril esta sesión es a las 08:00 en tu hora.' });
  assert.equal(await notice.count(), 1);
  assert.match(await notice.textContent(), /jue 1 abr, 08:00–10:00 hora de Lima · 14:00 hora de Londres \(BST\)/);
  await Promise.all([sanne.close(), lucia.close()]);
});

journey('a full circle refuses another registration with a clear message', async (kring) => {
  const facilitator = await kring.browser.newContext({ timezoneId: 'Europe/Amsterdam' });
  const page = await facilitator.newPage();
  await logIn(page, kring.base, 'facilitator@demo.kring');
  await page.goto(`${kring.base}/sessions/plan`);
  await page.selectOption('select[name=kind]', 'circle');
  await page.selectOption('select[name=audience]', 'cohort:1');
  await page.fill('input[name=title_en]', 'Circle with one place');
  await page.fill('input[name=first_date]', '2027-02-18');
  await page.fill('input[name=clock]', '15:00');
  await page.check('input[name=zone][value="Etc/GMT"]');
  await page.fill('input[name=count]', '1');
  await page.fill('input[name=capacity]', '1');
  await Promise.all([page.waitForNavigation(), page.click('form.plan button[type=submit]')]);
  // The check step lists the occurrence in the planner's time and the host's.
  assert.match(await page.textContent('.preview'), /Thu 18 Feb, 16:00–18:00 Amsterdam time · 15:00 GMT/);
  await Promise.all([page.waitForNavigation(), page.click('.preview button[type=submit]')]);
  assert.match(page.url(), /\/sessions\/\d+\?planned=1$/);
  const circleUrl = page.url().replace(/\?.*/, '');

  const amara = await kring.browser.newContext({ timezoneId: 'Africa/Accra' });
  const amaraPage = await amara.newPage();
  await logIn(amaraPage, kring.base, 'amara@demo.kring');
  await amaraPage.goto(circleUrl);
  await Promise.all([amaraPage.waitForNavigation(), amaraPage.click('form[action="/api/calendar/register"] button')]);
  assert.match(await amaraPage.textContent('[role=status]'), /You are registered: Thu 18 Feb, 15:00–17:00 Accra time/);

  const lucia = await kring.browser.newContext({ timezoneId: 'America/Lima' });
  const luciaPage = await lucia.newPage();
  await logIn(luciaPage, kring.base, 'lucia@demo.kring');
  await luciaPage.goto(circleUrl);
  assert.match(await luciaPage.textContent('.places'), /1 de 1 lugares ocupados/);
  await Promise.all([luciaPage.waitForNavigation(), luciaPage.click('form[action="/api/calendar/register"] button')]);
  assert.equal(
    (await luciaPage.textContent('[role=alert]')).trim(),
    'Este círculo está completo: todos los lugares están ocupados. Pregunta a la facilitadora por el próximo círculo.',
  );
  await Promise.all([facilitator.close(), amara.close(), lucia.close()]);
});

journey('a cancelled session leaves the active events of a subscribed feed', async (kring) => {
  const lucia = await kring.browser.newContext({ timezoneId: 'America/Lima' });
  const page = await lucia.newPage();
  await logIn(page, kring.base, 'lucia@demo.kring');
  await page.goto(`${kring.base}/sessions`);
  await Promise.all([page.waitForNavigation(), page.click('.feed button[type=submit]')]);
  const feedUrl = await page.inputValue('input.feed-url');
  assert.match(await page.getAttribute('.feed a.button', 'href'), /^webcal:\/\//);
  const active = async () => {
    const ics = await (await fetch(feedUrl)).text();
    return ics.split('BEGIN:VEVENT').slice(1).filter((event) => event.includes('STATUS:CONFIRMED'));
  };
  const before = await active();
  // Her Spanish group's sessions at least (other journeys may have planned more for the cohort).
  assert.ok(before.length >= 14, `${before.length} active events`);

  // The facilitator cancels the next Spanish-group session from its page.
  const facilitator = await kring.browser.newContext();
  const staff = await facilitator.newPage();
  await logIn(staff, kring.base, 'facilitator@demo.kring');
  await staff.goto(`${kring.base}/sessions`);
  const next = staff.locator('li.session', { hasText: 'Spanish group: live session' }).first();
  await Promise.all([staff.waitForNavigation(), next.locator('a.title').click()]);
  await Promise.all([staff.waitForNavigation(), staff.click('.manage button.danger')]);
  assert.match(await staff.textContent('main'), /This session has been cancelled\./);

  const after = await active();
  assert.equal(after.length, before.length - 1);
  const ics = await (await fetch(feedUrl)).text();
  assert.equal(ics.split('STATUS:CANCELLED').length - 1, 1);
  await page.goto(`${kring.base}/sessions`);
  assert.equal(await page.locator('li.session.cancelled').count(), 1, 'the agenda marks it cancelled');
  await Promise.all([lucia.close(), facilitator.close()]);
});
