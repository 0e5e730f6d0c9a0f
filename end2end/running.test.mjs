// Running the program: a facilitator builds next year's program in the browser and
// plans a fortnightly series for the Spanish group;
// Lucía in Lima is reminded in Spanish at her own time, is told both times when a
// session moves, and the facilitator takes attendance that the cohort dashboard shows.
import assert from 'node:assert/strict';
import { journeys, logIn } from './support.mjs';

const journey = journeys();

/** `instant` as the date and the clock a person in `timeZone` reads. */
function wallTime(instant, timeZone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(instant).map((part) => [part.type, part.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, clock: `${parts.hour}:${parts.minute}` };
}

/** Reloads `path` until `pattern` shows in its main part (a job makes it within seconds). */
async function eventually(page, url, pattern, seconds = 40) {
  for (let waited = 0; ; waited += 2) {
    await page.goto(url);
    const text = await page.textContent('main');
    if (pattern.test(text)) return text;
    if (waited >= seconds) assert.fail(`${url} did not show ${pattern} within ${seconds} s:\n${text}`);
    await page.waitForTimeout(2000);
  }
}

journey('a facilitator builds Mutual Learning Program 2027 with two modules, a unit and a Spanish title', async (kring) => {
  const context = await kring.browser.newContext({ timezoneId: 'Europe/Amsterdam' });
  const joseph = await context.newPage();
  await logIn(joseph, kring.base, 'facilitator@demo.kring');
  await Promise.all([joseph.waitForNavigation(), joseph.click('main a[href="/programs/new"]')]);
  await joseph.fill('input[name=title]', 'Mutual Learning Program 2027');
  await joseph.fill('textarea[name=summary]', 'Twelve live sessions of two hours, every other week, with reading and the forum between.');
  await joseph.selectOption('select[name=language]', 'en');
  await Promise.all([joseph.waitForNavigation(), joseph.click('form[action="/api/programs/new"] button[type=submit]')]);
  assert.match(joseph.url(), /\/programs\/\d+\?created=1$/);
  const programUrl = joseph.url().replace(/[?#].*/, '');
  assert.match(await joseph.textContent('#publishing'), /Draft/);

  for (const [title, summary] of [['Listening', 'How we listen to each other.'], ['Cases', 'Bringing a case to the circle.']]) {
    const form = joseph.locator('#add-module');
    await form.locator('input[name=title]').fill(title);
    await form.locator('textarea[name=summary]').fill(summary);
    await Promise.all([joseph.waitForNavigation(), form.locator('button[type=submit]').click()]);
  }
  assert.deepEqual(await joseph.locator('ol.modules h2').allTextContents(), ['Listening', 'Cases']);

  // A unit in the first module, opened in the editor.
  await Promise.all([joseph.waitForNavigation(), joseph.click('ol.modules h2 a >> text=Listening')]);
  await joseph.fill('form[action="/api/units/add"] input[name=title]', 'Listening first');
  await Promise.all([joseph.waitForNavigation(), joseph.click('form[action="/api/units/add"] button[type=submit]')]);
  assert.match(joseph.url(), /\/units\/\d+\/edit\?lang=en$/);

  // The first module's title in Spanish, from the program's translation table.
  await joseph.goto(programUrl);
  const row = joseph.locator('table.matrix tr', { hasText: 'Listening' });
  assert.match(await row.textContent(), /Missing/);
  await Promise.all([joseph.waitForNavigation(), row.locator('a[href$="lang=es"]').click()]);
  assert.match(await joseph.textContent('.source'), /Listening/);
  await joseph.fill('input[name="edit[title]"]', 'Escuchar');
  await joseph.fill('textarea[name="edit[summary]"]', 'Cómo nos escuchamos.');
  await Promise.all([joseph.waitForNavigation(), joseph.click('form[action="/api/programs/texts/publish"] button[type=submit]')]);
  assert.match(await joseph.textContent('main'), /Published\./);
  assert.match(await joseph.textContent('nav.languages'), /Spanish: Current/);
  await context.close();
});

journey('Lucía is reminded in Spanish, told both times of a move, and attendance reaches the dashboard', async (kring) => {
  const facilitator = await kring.browser.newContext({ timezoneId: 'Europe/Amsterdam' });
  const joseph = await facilitator.newPage();
  await logIn(joseph, kring.base, 'facilitator@demo.kring');

  // A fortnightly series for the Spanish group, planned in Lima time; the first in a quarter of an hour.
  const firstStart = Date.now() + 15 * 60 * 1000;
  const first = wallTime(new Date(firstStart), 'America/Lima');
  await joseph.goto(`${kring.base}/sessions/plan`);
  await joseph.selectOption('select[name=kind]', 'live');
  const group = await joseph.locator('select[name=audience] option', { hasText: 'Spanish group' }).first().getAttribute('value');
  await joseph.selectOption('select[name=audience]', group);
  await joseph.fill('input[name=title_en]', 'Fortnightly meeting');
  await joseph.fill('input[name=title_es]', 'Encuentro quincenal');
  await joseph.fill('input[name=first_date]', first.date);
  await joseph.fill('input[name=clock]', first.clock);
  await joseph.check('input[name=zone][value=other]');
  await joseph.fill('input[name=other_zone]', 'America/Lima');
  await joseph.selectOption('select[name=every_weeks]', '2');
  await joseph.fill('input[name=count]', '6');
  await Promise.all([joseph.waitForNavigation(), joseph.click('form.plan button[type=submit]')]);
  assert.equal(await joseph.locator('.preview li').count(), 6);
  await Promise.all([joseph.waitForNavigation(), joseph.click('.preview button[type=submit]')]);
  assert.match(joseph.url(), /\/sessions\/\d+\?planned=6$/);
  const firstUrl = joseph.url().replace(/\?.*/, '');
  const firstId = Number(firstUrl.split('/').pop());

  // Lucía, in Lima, sees the reminder in Spanish at her own time.
  const limaContext = await kring.browser.newContext({ timezoneId: 'America/Lima' });
  const lucia = await limaContext.newPage();
  await logIn(lucia, kring.base, 'lucia@demo.kring');
  const agenda = await eventually(lucia, `${kring.base}/sessions`, /Recordatorio: Encuentro quincenal/);
  assert.match(agenda, new RegExp(`Recordatorio: Encuentro quincenal, [^\\n]*${first.clock}[^\\n]*hora de Lima`));

  // Joseph moves the second session a day later, at 11:00 Lima time.
  const second = `${kring.base}/sessions/${firstId + 1}`;
  await joseph.goto(second);
  assert.match(await joseph.textContent('h1'), /Fortnightly meeting/);
  // From the same instant as the first: a minute passing since must not change the old time.
  const secondStart = wallTime(new Date(firstStart + 14 * 86400 * 1000), 'America/Lima');
  const moved = wallTime(new Date(Date.parse(`${secondStart.date}T12:00:00Z`) + 86400 * 1000), 'UTC').date;
  const move = joseph.locator('form[action="/api/calendar/change"]').filter({ has: joseph.locator('input[value=move]') });
  await move.locator('input[name="change[date]"]').fill(moved);
  await move.locator('input[name="change[clock]"]').fill('11:00');
  await Promise.all([joseph.waitForNavigation(), move.locator('button[type=submit]').click()]);

  // Lucía is told at once, with the new and the old time on her clock.
  await lucia.goto(`${kring.base}/sessions`);
  const notice = await lucia.locator('.reminders li', { hasText: 'Cambio de horario' }).first().textContent();
  const [now, before] = notice.split('antes');
  assert.match(now, /Encuentro quincenal es ahora .*11:00/);
  assert.match(before, new RegExp(secondStart.clock));

  // The first session is about to start: Joseph takes attendance on his phone's browser.
  await joseph.goto(firstUrl);
  const sheet = joseph.locator('form.attendance');
  await sheet.locator('fieldset', { hasText: 'Lucía Quispe' }).getByLabel('Present').check();
  await Promise.all([joseph.waitForNavigation(), sheet.locator('button[type=submit]').click()]);
  assert.match(await joseph.textContent('#attendance'), /Attendance saved\.[\s\S]*1 of 1 present/);

  // The dashboard shows it, and offers the same as CSV.
  await joseph.goto(`${kring.base}/cohorts/1/dashboard`);
  const row = await joseph.locator('tr', { hasText: 'Lucía Quispe' }).textContent();
  assert.match(row, /Spanish group\s*1 of \d+/);
  const csv = await joseph.request.get(`${kring.base}/cohorts/1/dashboard.csv`);
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /"Lucía Quispe","lucia@demo\.kring","Spanish group","1"/);

  await Promise.all([facilitator.close(), limaContext.close()]);
});
