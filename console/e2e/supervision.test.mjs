// Supervision and drones in a real browser against a real server: a probation officer's
// caseload, one person's restrictions on the map, a violation from a bracelet's pings handled
// open → acknowledged → closed, referrals accepted and declined, the dashboard's count of
// services provided; drone incidents on the map beside the licences, closed by an operator.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sees, start } from './harness.mjs';

let iz;
let personId;

// Central Almaty; the victim lives 2 km north.
const HOME = [43.238, 76.945];
const VICTIM = [43.256, 76.945];
const circle = (id, label, [lat, lon], radius_m) => ({ id, label, geometry: { type: 'Point', coordinates: [lon, lat] }, radius_m });

// A curfew that is never in force while the test runs (it starts three hours from now in
// Almaty), so that the pings break the exclusion zone only, whatever the hour.
const almatyHour = (new Date().getUTCHours() + 5) % 24;
const hh = (h) => String(h % 24).padStart(2, '0') + ':00';
const CURFEW = { start: hh(almatyHour + 3), end: hh(almatyHour + 5) };

const order = (name, officer, device) => ({
  name,
  officer,
  region: 'KZ-75',
  legal_basis: { kind: 'court_decision', reference: 'CD-2026-1182', authority: 'Almalinsky district court of Almaty', issued_on: '2026-09-01' },
  term: { from: '2026-09-01T00:00:00Z', until: '2027-09-01T00:00:00Z' },
  devices: [device],
  restrictions: {
    home: circle('city', 'Almaty', HOME, 15_000),
    exclusions: [circle('victim-home', "The victim's address", VICTIM, 300)],
    curfews: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: CURFEW.start, end: CURFEW.end, zone: circle('flat', 'Home address', HOME, 100) }],
  },
  needs: ['employment', 'housing'],
});

const ping = (device, secondsAgo, [lat, lon]) =>
  JSON.stringify({ device, lat, lon, accuracy_m: 12, battery: 80, tamper: false, at: new Date(Date.now() - secondsAgo * 1000).toISOString() });

const square = (lon, lat, h) => [[[lon - h, lat - h], [lon + h, lat - h], [lon + h, lat + h], [lon - h, lat + h], [lon - h, lat - h]]];
const LICENCES = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { id: 'KZ-SU-0101', holder: 'Kazakh Copper LLP', valid_from: '2020-01-01', valid_until: '2030-12-31' }, geometry: { type: 'Polygon', coordinates: square(73.0, 49.8, 0.02) } },
    { type: 'Feature', properties: { id: 'KZ-SU-0077', holder: 'Gravel Partners', valid_from: '2015-05-01', valid_until: '2025-06-30' }, geometry: { type: 'Polygon', coordinates: square(73.2, 49.9, 0.01) } },
  ],
};
const detection = (flight, lon, lat, klass = 'excavation') =>
  JSON.stringify({ flight, at: new Date(Date.now() - 3_600_000).toISOString(), class: klass, footprint: { type: 'Point', coordinates: [lon, lat] }, confidence: 0.9, image: `img/${flight}.jpg` });

before(async () => {
  iz = await start();
  const enrolled = await iz.api('POST', '/v1/supervision/persons', order('Ерлан Асанов', 'probation', 'BR-1001'));
  personId = enrolled.person.id;
  // Someone else's caseload: the officer must not see this one.
  await iz.api('POST', '/v1/supervision/persons', order('Бауыржан Сейітов', 'another-officer', 'BR-2002'));
  // At home, then three fixes at the victim's door: past the grace (2 fixes), one violation.
  const lines = [ping('BR-1001', 240, HOME), ping('BR-1001', 180, VICTIM), ping('BR-1001', 120, VICTIM), ping('BR-1001', 60, VICTIM)];
  const report = await iz.api('POST', '/v1/supervision/pings', lines.join('\n'), iz.tokens.ingest);
  assert.equal(report.accepted, 4);

  await iz.api('PUT', '/v1/drones/licences', LICENCES);
  const judged = await iz.api(
    'POST',
    '/v1/drones/detections',
    [detection('FL-1', 72.99, 49.8), detection('FL-1', 73.2, 49.9), detection('FL-1', 73.5, 49.5), detection('FL-2', 73.501, 49.5, 'heavy_machinery')].join('\n'),
    iz.tokens.ingest,
  );
  assert.deepEqual(
    judged.judged.map((j) => j.outcome),
    ['noted', 'opened', 'opened', 'folded'],
  );
});

after(async () => {
  await iz?.stop();
});

describe('supervision', () => {
  test("the officer's caseload shows their own people only, the violating one flagged", async () => {
    const page = await iz.signIn('probation', '/supervision');
    await sees(page, '[data-testid=caseload-count]', /1 under supervision/);
    const row = page.locator('[data-testid=caseload-row]');
    assert.equal(await row.count(), 1);
    assert.match(await row.textContent(), /Ерлан Асанов/);
    // The pings are applied by the server's tick once the reordering hold has passed.
    for (let i = 0; i < 30 && !/Violating/.test(await row.locator('[data-testid=standing]').textContent()); i++) {
      await page.waitForTimeout(1000);
      await page.reload();
    }
    await sees(page, '[data-testid=standing]', /Violating: Entered exclusion zone victim-home/);
    await sees(page, '[data-testid=card-open]', /1/);
    await iz.shot(page, '20-caseload');
    await page.context().close();

    const admin = await iz.signIn('aigerim', '/supervision');
    await sees(admin, '[data-testid=caseload-count]', /2 under supervision/);
    await admin.context().close();
  });

  test("a person's restrictions are drawn on the map and the violation is handled open → acknowledged → closed", async () => {
    const page = await iz.signIn('probation', '/supervision');
    await page.locator('[data-testid=caseload-row] a').first().click();
    await sees(page, '[data-testid=person-name]', /Ерлан Асанов/);
    await sees(page, '[data-testid=curfews]', new RegExp(`Mon, Tue, Wed, Thu, Fri, ${CURFEW.start}–${CURFEW.end}`));
    // The home zone, the exclusion and the curfew's place, each drawn in its own tone.
    await page.locator('[data-testid=restrictions-map] path.iz-zone-forbidden').first().waitFor();
    assert.equal(await page.locator('[data-testid=restrictions-map] path.iz-zone-allowed').count(), 1);
    assert.equal(await page.locator('[data-testid=restrictions-map] path.iz-zone-curfew').count(), 1);
    await sees(page, '[data-testid=zone-legend]', /Exclusion zone \(do not enter\) · The victim's address/);

    const violation = page.locator('[data-testid=violation]').first();
    await sees(page, '[data-testid=violation]', /Entered exclusion zone victim-home/);
    await sees(page, '[data-testid=violation-status]', /Open/);
    await sees(page, '[data-testid=finding]', /from the boundary of The victim's address/);
    await iz.shot(page, '21-supervised-person');
    await violation.locator('[data-testid=acknowledge]').click();
    await sees(page, '[data-testid=violation-status]', /Acknowledged/);
    await violation.locator('[data-testid=close-violation]').click();
    await sees(page, '[data-testid=violation] [role=alert]', /Say why the violation is closed/);
    await violation.locator('input[name=note]').fill('Spoke to him: he went to the pharmacy next door; warned.');
    await violation.locator('[data-testid=close-violation]').click();
    await sees(page, '[data-testid=violation-status]', /Closed/);
    const stored = await iz.api('GET', '/v1/supervision/violations?person=' + personId);
    assert.equal(stored[0].status, 'closed');
    assert.equal(stored[0].closed.by, 'user:probation');
    await page.context().close();
  });

  test('the officer accepts one referral and declines another with a reason; the dashboard counts what was provided', async () => {
    const page = await iz.signIn('probation', '/supervision/' + personId);
    const referrals = page.locator('[data-testid=referral]');
    await sees(page, '[data-testid=referrals]', /Employment/);
    assert.equal(await referrals.count(), 2);
    await referrals.nth(0).locator('[data-testid=accept-referral]').click();
    await sees(page, '[data-testid=referral-status]', /Sent/);
    const second = referrals.nth(1);
    await second.locator('[data-testid=decline-referral]').click();
    await sees(page, '[data-testid=referral] [role=alert]', /Say why the referral is declined/);
    await second.locator('input[name=reason]').fill('Lives with his parents; no housing need now.');
    await second.locator('[data-testid=decline-referral]').click();
    await sees(page, '[data-referral-id] >> nth=1', /Declined/);
    await iz.shot(page, '22-referrals');
    await page.context().close();

    // The social-services platform reports the service provided.
    const sent = (await iz.api('GET', '/v1/supervision/referrals?person=' + personId)).find((r) => r.status === 'sent');
    await iz.api('POST', '/v1/supervision/referrals/' + sent.id, { status: 'provided', note: 'hired at a bakery' }, iz.tokens.ingest);
    const dash = await iz.signIn('aigerim', '/dashboard');
    await sees(dash, '[data-testid=services-provided]', /^1/);
    await dash.context().close();
  });

  test('a prosecutor reads the file but cannot act on it', async () => {
    const page = await iz.signIn('prosecutor', '/supervision/' + personId);
    await sees(page, '[data-testid=violation]', /Entered exclusion zone/);
    assert.equal(await page.locator('[data-testid=close-violation], [data-testid=accept-referral]').count(), 0);
    await page.context().close();
  });
});

describe('drones', () => {
  test('incidents outside any valid licence are on the map with the licences, and an operator closes one', async () => {
    const page = await iz.signIn('almaty-duty', '/drones');
    await sees(page, '[data-testid=incident-count]', /Open incidents: 2 · licensed areas: 2/);
    const rows = page.locator('[data-testid=incident-row]');
    assert.equal(await rows.count(), 2);
    await sees(page, '[data-testid=incident-row]', /Outside any licence/);
    await sees(page, '[data-testid=incident-row] >> nth=1', /Licence KZ-SU-0077 expired on 2025-06-30/);
    // The site seen on two flights is one incident with both classes.
    await sees(page, '[data-testid=incident-row]', /Excavation, Heavy machinery/);
    await page.locator('[data-testid=drone-map] path.iz-zone-lapsed').first().waitFor();
    assert.equal(await page.locator('[data-testid=drone-map] path.iz-zone-allowed').count(), 1);
    assert.equal(await page.locator('[data-testid=drone-map] path.iz-marker').count(), 2);
    await iz.shot(page, '23-drone-incidents');

    const first = rows.first();
    const id = await first.getAttribute('data-incident-id');
    await first.locator('[data-testid=close-incident]').click();
    await sees(page, '[data-testid=incident-row] [role=alert]', /Say why the incident is closed/);
    await first.locator('input[name=reason]').fill('Inspected: road repair by the akimat');
    await first.locator('[data-testid=close-incident]').click();
    await page.locator(`[data-incident-id="${id}"]`).waitFor({ state: 'detached' });
    await sees(page, '[data-testid=incident-count]', /Open incidents: 1/);
    await page.locator('[data-testid=show-closed]').check();
    await sees(page, `[data-incident-id="${id}"] [data-testid=incident-status]`, /Closed/);
    await page.context().close();
  });

  test('an analyst sees the incidents but closes none', async () => {
    const page = await iz.signIn('analyst', '/drones');
    await sees(page, '[data-testid=incident-count]', /Open incidents: 1/);
    assert.equal(await page.locator('[data-testid=close-incident]').count(), 0);
    await page.context().close();
  });
});
