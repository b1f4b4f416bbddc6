// The console in a real browser against a real server: the duty operator's day, the
// prosecutor's oversight, and the walls between regions and roles.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sees, start } from './harness.mjs';

let iz;
let alertId;
const WANTED_IIN = '850715300122';

// Reads what an element says once it says it: the page renders after clicks, typing and
// fetches, so a single read may come before the render. Fails with the text it last saw.

const entry = (iin, name, reference, days = 90) => ({
  kind: 'wanted',
  person: { iin, names: [name] },
  legal_basis: { kind: 'warrant', reference, authority: 'Almaty city court', issued_on: '2026-10-01' },
  expires_at: new Date(Date.now() + days * 86_400_000).toISOString(),
  region: 'KZ-75',
  priority: 'high',
  category: 'evading_court',
});

before(async () => {
  iz = await start();
  await iz.api('POST', '/v1/watchlist', entry(WANTED_IIN, 'Серік Жұмабаев', 'W-2026-0042'));
  // One that expires within the week, for the watch-list's "expiring" view.
  await iz.api('POST', '/v1/watchlist', entry('920302400347', 'Айгүл Қасымова', 'W-2026-0043', 3));
});

after(async () => {
  await iz?.stop();
});

describe('the console', () => {
  test('an anonymous visitor gets the sign-in form (with 401) and a wrong password is refused', async () => {
    const context = await iz.browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.addInitScript(() => localStorage.setItem('iz.lang', 'en'));
    const response = await page.goto(iz.base + '/alerts');
    assert.equal(response.status(), 401);
    await page.waitForSelector('[data-testid=sign-in-form]');
    await iz.shot(page, '01-sign-in');
    await page.fill('input[name=name]', 'almaty-duty');
    await page.fill('input[name=password]', 'not the password at all');
    await page.click('button[type=submit]');
    await sees(page, '[data-testid=sign-in-error]', /name or the password is wrong/);
    await context.close();
  });

  test('an alert appears live in the queue when an event hits', async () => {
    const page = await iz.signIn('almaty-duty', '/alerts');
    await page.waitForSelector('[data-testid=live].live');
    assert.equal(await page.locator('[data-testid=alert-row]').count(), 0);
    const occurred = new Date(Date.now() - 60_000).toISOString();
    const event = {
      id: 'e2e-hotel-1',
      kind: 'hotel_registration',
      source: 'hotels',
      occurred_at: occurred,
      place: { region: 'KZ-75', lat: 43.2567, lon: 76.9286, office: 'Hotel Otrar', address: 'Gogol St 73' },
      subject: { iin: WANTED_IIN, names: ['Serik Zhumabayev'] },
    };
    const report = await iz.api('POST', '/v1/events', JSON.stringify(event) + '\n', iz.tokens.ingest);
    assert.equal(report.accepted, 1);
    const row = page.locator('[data-testid=alert-row]').first();
    await row.waitFor({ timeout: 10_000 });
    alertId = Number(await row.getAttribute('data-alert-id'));
    const text = await row.textContent();
    assert.match(text, /High/);
    assert.match(text, /Evading court/);
    assert.match(text, /Hotel Otrar/);
    assert.match(text, /hotels/);
    // Shown in Almaty time, whatever the browser's own zone.
    const almaty = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Almaty', dateStyle: 'short', timeStyle: 'medium' }).format(new Date(occurred));
    assert.ok(text.includes(almaty), `${text} shows ${almaty}`);
    await iz.shot(page, '02-alert-queue');

    // Keyboard: the first row is selected; Enter opens it.
    await page.locator('[data-testid=alert-row]').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=alert-detail]');
    assert.equal(new URL(page.url()).pathname, '/alerts/' + alertId);
    await page.context().close();
  });

  test('the detail explains the match and a decision needs a reason', async () => {
    const page = await iz.signIn('almaty-duty', '/alerts/' + alertId);
    await page.waitForSelector('[data-testid=alert-detail]');
    const matched = await page.textContent('[data-testid=matched]');
    assert.match(matched, /IIN/);
    assert.match(matched, new RegExp(WANTED_IIN));
    assert.match(matched, /exactly equal/);
    await sees(page, '[data-testid=legal-basis]', /W-2026-0042/);
    await sees(page, '[data-testid=timeline]', /hotel check-in/);
    // The map shows the base layer (20 regions) and the place.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=detail-map] .iz-region').length === 20);
    assert.equal(await page.locator('[data-testid=detail-map] .iz-marker').count(), 1);
    await iz.shot(page, '03-alert-detail');

    await page.check('input[value=confirm]');
    await page.click('[data-testid=review-submit]');
    await sees(page, '[data-testid=review-form] [role=alert]', /reason is required/);
    await page.fill('textarea[name=reason]', 'Identity checked at the hotel by the patrol');
    await page.click('[data-testid=review-submit]');
    await page.waitForSelector('[data-testid=review]');
    await sees(page, '[data-testid=alert-status]', /Confirmed/);
    await iz.shot(page, '04-alert-confirmed');
    await page.context().close();
  });

  test('the prosecutor sees the decision in the audit log and an intact chain', async () => {
    const page = await iz.signIn('prosecutor', '/oversight');
    await page.waitForSelector('[data-testid=chain-status]');
    await sees(page, '[data-testid=chain-status]', /intact/);
    await page.fill('input[name=action]', 'alert.review');
    await page.click('[data-testid=audit-filter] button[type=submit]');
    const row = page.locator('[data-testid=audit-row][data-action="alert.review"]').first();
    await row.waitFor();
    const text = await row.textContent();
    assert.match(text, /user:almaty-duty/);
    assert.match(text, new RegExp('alert:' + alertId));
    // Opening the detail was an audited read.
    await page.fill('input[name=action]', 'alert.view');
    await page.click('[data-testid=audit-filter] button[type=submit]');
    await page.locator('[data-testid=audit-row][data-action="alert.view"]').first().waitFor();
    await page.fill('input[name=action]', '');
    await page.click('[data-testid=audit-filter] button[type=submit]');
    await sees(page, '[data-testid=access-rows]', /user:almaty-duty/);
    // A prosecutor reads but does not decide, and has no watch-list buttons.
    await page.goto(iz.base + '/alerts/' + alertId);
    await page.waitForSelector('[data-testid=alert-detail]');
    assert.equal(await page.locator('[data-testid=review-form]').count(), 0);
    await page.goto(iz.base + '/oversight');
    await page.waitForSelector('[data-testid=audit-row]');
    await iz.shot(page, '05-oversight');
    await page.context().close();
  });

  test("another region's operator sees neither the alert nor its page", async () => {
    const page = await iz.signIn('astana-duty', '/alerts');
    await page.waitForSelector('[data-testid=no-alerts]');
    await page.selectOption('[data-testid=filter-status]', '');
    await page.waitForSelector('[data-testid=no-alerts]');
    assert.equal(await page.locator(`[data-alert-id="${alertId}"]`).count(), 0);
    await page.goto(iz.base + '/alerts/' + alertId);
    await sees(page, '[data-testid=detail-error]', /may not open/);
    await iz.shot(page, '06-other-region-refused');
    // And the oversight page is not theirs at all: the server answers 403.
    const response = await page.goto(iz.base + '/oversight');
    assert.equal(response.status(), 403);
    await page.waitForSelector('[data-testid=forbidden]');
    assert.equal(await page.locator('[data-testid=nav-oversight]').count(), 0);
    await page.context().close();
  });

  test('the language switches between Kazakh, Russian and English', async () => {
    const page = await iz.signIn('almaty-duty', '/alerts');
    const nav = () => page.textContent('[data-testid=nav-alerts]');
    assert.equal(await nav(), 'Alerts');
    await page.selectOption('[data-testid=lang]', 'ru');
    assert.equal(await nav(), 'Сигналы');
    assert.equal(await page.getAttribute('html', 'lang'), 'ru');
    await iz.shot(page, '07-queue-ru');
    await page.selectOption('[data-testid=lang]', 'kk');
    assert.equal(await nav(), 'Дабылдар');
    await page.reload();
    await page.waitForSelector('[data-testid=nav-alerts]');
    assert.equal(await nav(), 'Дабылдар', 'the choice survives a reload');
    await page.selectOption('[data-testid=filter-status]', '');
    const row = page.locator('[data-testid=alert-row]').first();
    await row.waitFor();
    assert.match(await row.textContent(), /Жоғары.*Соттан жасырынуда.*Расталды/);
    await iz.shot(page, '08-queue-kk');
    await page.context().close();
  });

  test('the watch-list validates the IIN as it is typed, adds, imports CSV and shows what expires', async () => {
    const page = await iz.signIn('aigerim', '/watch');
    await page.waitForSelector('[data-testid=watch-row]');
    await page.click('[data-testid=watch-tab-expiring]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=watch-row]').length === 1);
    await sees(page, '[data-testid=watch-rows]', /W-2026-0043/);
    await page.click('[data-testid=watch-tab-all]');

    await page.click('[data-testid=watch-add-open]');
    await page.fill('input[name=iin]', '850715300123');
    await sees(page, '[data-testid=iin-check]', /check digit is wrong/);
    await page.fill('input[name=iin]', '881111500675');
    await sees(page, '[data-testid=iin-check]', /Valid IIN/);
    await page.fill('input[name=names]', 'Бақыт Омаров');
    await page.click('[data-testid=watch-add-submit]');
    await sees(page, '[data-testid=watch-add-form]', /legal basis .* is mandatory/);
    await page.fill('input[name=reference]', 'CD-2026-7');
    await page.fill('input[name=authority]', 'Shymkent city court');
    await page.fill('input[name=issued_on]', '2026-11-01');
    await page.fill('input[name=expires]', '2027-05-31');
    await iz.shot(page, '09-watch-add');
    await page.click('[data-testid=watch-add-submit]');
    await page.waitForSelector('text=CD-2026-7');

    await page.fill('[data-testid=watch-search]', '8811115');
    await page.press('[data-testid=watch-search]', 'Enter');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=watch-row]').length === 1);

    await page.click('[data-testid=watch-import-open]');
    const csv = [
      'iin,names,birth_date,sex,doc_type,doc_number,legal_basis_kind,legal_basis_reference,legal_basis_authority,legal_basis_issued_on,expires_at,region,priority,category,kind,plate,vehicle_description,link_watch_id,link_case',
      '900514300121,Ерлан Сейітов|Erlan Seitov,,,,,warrant,W-2026-0100,Almaty city court,2026-11-02,2027-01-31,KZ-75,normal,evading_investigation,,,,,',
      '900514300122,Wrong Digit,,,,,warrant,W-2026-0101,Almaty city court,2026-11-02,2027-01-31,KZ-75,normal,evading_investigation,,,,,',
      ',No Basis,,,,,,,,,2027-01-31,KZ-75,normal,evading_investigation,,,,,',
      ',,,,,,search_order,SO-2026-0102,Almaty city police,2026-11-02,2027-01-31,KZ-75,high,evading_investigation,vehicle,123 ABC 02,white Camry,,CASE-2026-0102',
    ].join('\n');
    await page.setInputFiles('[data-testid=watch-import-file]', { name: 'entries.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.waitForSelector('[data-testid=import-report]');
    await sees(page, '[data-testid=import-report]', /2 added, 2 rejected/);
    const rejected = await page.locator('[data-testid=import-rejected]').allTextContents();
    assert.equal(rejected.length, 2);
    assert.match(rejected[0], /^3/);
    assert.match(rejected[1], /^4/);
    await iz.shot(page, '10-watch-import');

    // Withdraw needs a reason.
    await page.fill('[data-testid=watch-search]', '');
    await page.press('[data-testid=watch-search]', 'Enter');
    await page.locator('[data-testid=watch-row]', { hasText: 'CD-2026-7' }).locator('[data-testid=withdraw-open]').click();
    await page.fill('[data-testid=withdraw-reason]', 'Warrant recalled by the court');
    await page.click('[data-testid=withdraw-submit]');
    await page.waitForFunction(() => !document.body.textContent.includes('CD-2026-7'));
    await iz.shot(page, '11-watch-list');
    await page.context().close();
  });

  test('the dashboard charts events, hits and decisions; the map draws the twenty regions', async () => {
    const page = await iz.signIn('aigerim', '/dashboard');
    await page.waitForSelector('[data-testid=chart-events] polyline');
    await sees(page, '[data-testid=chart-events]', /hotels/);
    await sees(page, '[data-testid=precision]', /hotels/);
    await iz.shot(page, '12-dashboard');
    // A second wanted person turns up in Shymkent: one open alert on the map.
    await iz.api('POST', '/v1/events', JSON.stringify({
      id: 'e2e-rail-1', kind: 'ticket', source: 'rail', occurred_at: new Date().toISOString(),
      place: { region: 'KZ-79', lat: 42.3155, lon: 69.5869, office: 'Shymkent station' },
      subject: { iin: '920302400347' },
    }) + '\n', iz.tokens.ingest);
    await page.click('[data-testid=nav-map]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=map] .iz-region').length === 20);
    await page.waitForSelector('[data-testid=map] .iz-marker');
    assert.equal(await page.locator('[data-testid=map] .iz-marker').count(), 1);
    // Shymkent is shaded by its open alert; the other regions are not.
    const shaded = await page.$$eval('[data-testid=map] .iz-region', (paths) => paths.filter((p) => p.getAttribute('fill') !== '#e9edf1').length);
    assert.equal(shaded, 1);
    await page.locator('[data-testid=map] .iz-marker').click();
    await sees(page, '.leaflet-popup-content', /Shymkent station/);
    await iz.shot(page, '13-map');
    await page.context().close();
  });

  test('a vehicle found by a misread plate shows the characters compared', async () => {
    const person = (await iz.api('GET', '/v1/watchlist?q=' + WANTED_IIN))[0]?.id ?? 1;
    const vehicle = await iz.api('POST', '/v1/watchlist', {
      ...entry('', '', 'SO-2026-0077'),
      kind: 'vehicle',
      person: {},
      vehicle: { plate: '123 ABC 02', description: 'white Toyota Camry' },
      link: { watch_id: person },
    });
    await iz.api('POST', '/v1/events', JSON.stringify({
      id: 'e2e-anpr-1', kind: 'plate_read', source: 'anpr', occurred_at: new Date().toISOString(),
      place: { region: 'KZ-75', lat: 43.2389, lon: 76.8897, office: 'Al-Farabi / Nauryzbai batyr' },
      plate: { camera: 'ALA-017', plate: 'I23ABC02', confidence: 0.97 },
    }) + '\n', iz.tokens.ingest);
    const alerts = await iz.api('GET', '/v1/alerts?watch_id=' + vehicle.id);
    assert.equal(alerts.length, 1);
    const page = await iz.signIn('almaty-duty', '/alerts/' + alerts[0].id);
    await page.waitForSelector('[data-testid=plate-evidence]');
    const cells = await page.$$eval('[data-testid=plate-evidence] td.ch', (tds) => tds.map((td) => td.className));
    assert.equal(cells.filter((c) => c.includes('ocr_confusion')).length, 2, 'the I and the 1, read and plate rows');
    assert.equal(cells.filter((c) => c.includes('different')).length, 0);
    await sees(page, '[data-testid=plate-evidence]', /camera confidence 97/);
    await iz.shot(page, '14-plate-evidence');
    await page.context().close();
  });

  test('an admin adds a wanted vehicle tied to a person, and enrols face templates from a file', async () => {
    const person = (await iz.api('GET', '/v1/watchlist?q=' + WANTED_IIN))[0];
    const page = await iz.signIn('aigerim', '/watch');
    await page.click('[data-testid=watch-add-open]');
    await page.check('input[name=kind][value=vehicle]');
    await page.fill('input[name=reference]', 'SO-2026-0300');
    await page.fill('input[name=authority]', 'Police department of Almaty');
    await page.fill('input[name=issued_on]', '2026-11-20');
    await page.fill('input[name=expires]', '2027-02-28');
    await page.click('[data-testid=watch-add-submit]');
    // Neither a plate nor a link yet: both are asked for, nothing is sent.
    await sees(page, '[data-testid=watch-add-form]', /needs its plate/);
    await sees(page, '[data-testid=watch-add-form]', /person's entry or to a case/);
    await page.fill('input[name=plate]', '777 KZA 02');
    await page.fill('input[name=vehicle_description]', 'grey Lada Granta');
    await page.fill('input[name=link_id]', String(person.id));
    await page.click('[data-testid=watch-add-submit]');
    await page.waitForSelector('text=777 KZA 02');
    const vehicles = (await iz.api('GET', '/v1/watchlist?limit=500')).filter((e) => e.kind === 'vehicle' && e.vehicle.plate === '777 KZA 02');
    assert.equal(vehicles.length, 1);
    assert.equal(vehicles[0].link.watch_id, person.id);

    // Face templates: a file of the wrong shape is refused in the page; a good one is counted.
    await page.click('[data-testid=watch-add-open]');
    await page.setInputFiles('[data-testid=watch-faces-file]', { name: 'faces.json', mimeType: 'application/json', buffer: Buffer.from('{"not": "templates"}') });
    // The page reads the file asynchronously: wait for its verdict rather than reading once.
    await page.locator('[data-testid=watch-add-form]', { hasText: 'not a JSON array of templates' }).waitFor();
    const template = Array.from({ length: 512 }, (_, i) => (i === 3 ? 1 : 0));
    await page.setInputFiles('[data-testid=watch-faces-file]', { name: 'faces.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify([template])) });
    await page.locator('[data-testid=watch-faces-count]', { hasText: /\b1 templates/ }).waitFor();
    await page.fill('input[name=names]', 'Тілеуов Бауыржан');
    await page.fill('input[name=reference]', 'W-2026-0301');
    await page.fill('input[name=authority]', 'Almaty city court');
    await page.fill('input[name=issued_on]', '2026-11-20');
    await page.fill('input[name=expires]', '2027-02-28');
    await page.click('[data-testid=watch-add-submit]');
    await page.waitForSelector('text=W-2026-0301');
    const enrolled = (await iz.api('GET', '/v1/watchlist?q=' + encodeURIComponent('Тілеуов')))[0];
    assert.equal(enrolled.face_templates, 1);
    await iz.shot(page, '17-watch-vehicle');
    await page.context().close();
  });

  test('a guest book with a name and a birth date only shows the name tokens aligned', async () => {
    const listed = await iz.api('POST', '/v1/watchlist', {
      ...entry('900514301308', 'Асанов Ерлан Серікұлы', 'W-2026-0051'),
      person: { iin: '900514301308', names: ['Асанов Ерлан Серікұлы'], birth_date: '1990-05-14' },
    });
    await iz.api('POST', '/v1/events', JSON.stringify({
      id: 'e2e-guestbook-1', kind: 'hotel_registration', source: 'hotels', occurred_at: new Date().toISOString(),
      place: { region: 'KZ-75', lat: 43.2383, lon: 76.9453, office: 'Hotel Kazakhstan' },
      subject: { names: ['YERLAN ASSANOV'], birth_date: '1990-05-14' },
    }) + '\n', iz.tokens.ingest);
    const alerts = await iz.api('GET', '/v1/alerts?watch_id=' + listed.id);
    assert.equal(alerts.length, 1, 'the name and the birth date found the entry');
    const page = await iz.signIn('almaty-duty', '/alerts/' + alerts[0].id);
    await page.waitForSelector('[data-testid=name-evidence]');
    // Tokens are shown as compared: folded to lower case.
    const rows = await page.$$eval('[data-testid=name-evidence] tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim().toLowerCase())));
    const pairs = rows.map(([seen, listedAs]) => seen + ' = ' + listedAs).join('; ');
    assert.ok(rows.some(([seen, listedAs]) => seen === 'assanov' && listedAs === 'асанов'), pairs);
    assert.ok(rows.some(([seen, listedAs]) => seen === 'yerlan' && listedAs === 'ерлан'), pairs);
    // The patronymic was not written in the book: shown as having no counterpart.
    assert.ok(rows.some(([seen, listedAs, how]) => seen === '—' && listedAs === 'серікұлы' && /no counterpart/.test(how)), pairs);
    await sees(page, '[data-testid=name-evidence]', /birth date: equal/);
    await iz.shot(page, '15-name-evidence');
    await page.context().close();
  });

  test('a face sighting shows its score against the threshold that applied', async () => {
    // A template as a camera's analytics would send it: 512 numbers of unit length.
    const unit = (v) => { const n = Math.hypot(...v); return v.map((x) => x / n); };
    let seed = 7;
    const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 - 0.5; };
    const face = unit(Array.from({ length: 512 }, random));
    const frame = unit(face.map((x) => x + 0.02 * random()));
    const listed = await iz.api('POST', '/v1/watchlist', {
      ...entry('', '', 'SO-2026-0090'),
      person: { names: ['Нұрланов Дәулет'] },
      faces: [face],
    });
    assert.equal(listed.face_templates, 1, 'templates are counted, never shown');
    await iz.api('POST', '/v1/events', JSON.stringify({
      id: 'e2e-cam-1', kind: 'face_sighting', source: 'cams', occurred_at: new Date().toISOString(),
      place: { region: 'KZ-75', lat: 43.2419, lon: 76.9489, office: 'Almaty-2 station' },
      face: { camera: 'CAM-ALA2-03', camera_group: 'station', template: frame },
    }) + '\n', iz.tokens.ingest);
    const alerts = await iz.api('GET', '/v1/alerts?watch_id=' + listed.id);
    assert.equal(alerts.length, 1);
    const page = await iz.signIn('almaty-duty', '/alerts/' + alerts[0].id);
    await page.waitForSelector('[data-testid=face-evidence]');
    const text = await page.textContent('[data-testid=face-evidence]');
    assert.match(text, /face score 0\.9\d+ against threshold 0\.6\b/, text);
    assert.match(text, /threshold of the default/, text);
    // The meter's bar ends past the threshold's mark.
    const [bar, mark] = await page.$$eval('[data-testid=face-evidence] .meter span', (s) => s.map((e) => parseFloat(e.style.width || e.style.left)));
    assert.ok(bar > mark, `${bar} > ${mark}`);
    await iz.shot(page, '16-face-evidence');
    await page.context().close();
  });

  test('an analyst gets the dashboard, the drone incidents and the anti-fraud centre; a probation officer the caseload', async () => {
    const analyst = await iz.signIn('analyst', '/');
    await analyst.waitForURL(/\/dashboard$/);
    assert.deepEqual(await analyst.locator('nav a').allTextContents(), ['Dashboard', 'Drones', 'Anti-fraud']);
    const response = await analyst.goto(iz.base + '/alerts');
    assert.equal(response.status(), 403);
    await analyst.waitForSelector('[data-testid=forbidden]');
    await analyst.context().close();

    const probation = await iz.signIn('probation', '/');
    await probation.waitForURL(/\/supervision$/);
    assert.deepEqual(await probation.locator('nav a').allTextContents(), ['Supervision']);
    // Signing out ends the session on the server, not just in the page.
    await probation.click('[data-testid=sign-out]');
    await probation.waitForSelector('[data-testid=sign-in-form]');
    assert.equal((await probation.goto(iz.base + '/dashboard')).status(), 401);
    await probation.context().close();
  });
});
