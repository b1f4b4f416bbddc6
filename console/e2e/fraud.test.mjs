// The anti-fraud centre in a real browser against a real server: a bank's events make a money
// mule a case with its reasons; a transfer to it is held; an analyst confirms it onto the
// block-list with a legal basis and the next transfer is blocked; the block-list is managed
// (a number added, the mule withdrawn with a reason); a prosecutor reads and changes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sees, start } from './harness.mjs';

let iz;

const at = (secondsAgo) => new Date(Date.now() - secondsAgo * 1000).toISOString();
const account = (n) => ({ bank: 'KASPI', account: n });
const transfer = (id, secondsAgo, from, to, tenge) => ({
  id, at: at(secondsAgo), from: account(from), to: account(to), amount_tiyn: tenge * 100, currency: 'KZT', channel: 'phone_transfer',
});

async function decide(id, to) {
  return iz.api('POST', '/v1/fraud/decide', transfer(id, 0, 'VICTIM', to, 120_000), iz.tokens.ingest);
}

before(async () => {
  iz = await start();
  // A mule: opened remotely yesterday, fifteen strangers pay in within the hour, each payment
  // passed on within a minute.
  const lines = [{ kind: 'account_opened', account: account('M'), owner_iin: '900101300123', at: at(86_400), channel: 'remote' }];
  for (let i = 0; i < 15; i++) {
    lines.push({ kind: 'transaction', ...transfer(`in-${i}`, 3_600 - i * 120, `S${i}`, 'M', 50_000) });
    lines.push({ kind: 'transaction', ...transfer(`out-${i}`, 3_600 - i * 120 - 60, 'M', `X${i}`, 47_500) });
  }
  const report = await iz.api('POST', '/v1/fraud/events', lines.map((l) => JSON.stringify(l)).join('\n'), iz.tokens.ingest);
  assert.equal(report.cases_opened, 1);
  assert.equal((await decide('pay-1', 'M')).decision, 'hold');
});

after(async () => {
  await iz?.stop();
});

describe('the anti-fraud centre', () => {
  test('an analyst sees the mule with its reasons and confirms it onto the block-list', async () => {
    const page = await iz.signIn('analyst', '/fraud');
    await sees(page, '[data-testid=case]', /Suspected money mule · KASPI\/M/);
    await sees(page, '[data-testid=reasons]', /Money passes through/);
    await sees(page, '[data-testid=held]', /KASPI\/VICTIM → KASPI\/M/);
    await sees(page, '[data-testid=decided]', /1\s*Held for confirmation/);
    await iz.shot(page, '30-fraud-queue');

    const card = page.locator('[data-testid=case]').first();
    await card.locator('input[name=note]').fill('Fifteen strangers in, each passed on within a minute');
    await card.locator('[data-testid=confirm-case]').click();
    await sees(page, '[data-testid=case] [role=alert]', /needs a legal basis/);
    await card.locator('input[name=basis_reference]').fill('CD-2026-0901');
    await card.locator('input[name=basis_authority]').fill('Specialised inter-district court of Almaty');
    await card.locator('input[name=basis_issued_on]').fill('2026-11-20');
    await card.locator('input[name=expires]').fill('2027-06-30');
    await card.locator('[data-testid=confirm-case]').click();
    await sees(page, '[data-testid=case-status-badge]', /Confirmed/);
    const blocked = await decide('pay-2', 'M');
    assert.equal(blocked.decision, 'block');
    assert.ok(blocked.reasons.some((r) => r.indicator === 'payee.block_listed'));
    await page.context().close();
  });

  test('the block-list: a number is added, the mule withdrawn with a reason, and transfers to it are no longer blocked', async () => {
    const page = await iz.signIn('analyst', '/fraud');
    await page.click('[data-testid=to-listings]');
    await page.waitForURL(/\/fraud\/listings$/);
    await sees(page, '[data-testid=listing-row]', /KASPI\/M/);
    await sees(page, '[data-testid=listing-row]', /Confirmed money mule/);

    const form = page.locator('[data-testid=add-listing]');
    await form.locator('select[name=what]').selectOption('number');
    await form.locator('input[name=number]').fill('+77001112233');
    await form.locator('[data-testid=add-listing-submit]').click();
    await sees(page, '[data-testid=add-listing] [role=alert]', /needs a legal basis/);
    await form.locator('input[name=basis_reference]').fill('SO-2026-0077');
    await form.locator('input[name=basis_authority]').fill('Almaty city police');
    await form.locator('input[name=basis_issued_on]').fill('2026-11-28');
    await form.locator('input[name=expires]').fill('2027-02-28');
    await form.locator('[data-testid=add-listing-submit]').click();
    await sees(page, '[data-testid=listing-count]', /In force: 2/);
    await sees(page, '[data-testid=listing-row] >> nth=1', /\+77001112233/);
    await iz.shot(page, '31-fraud-block-lists');

    const mule = page.locator('[data-testid=listing-row]').first();
    await mule.locator('[data-testid=withdraw-listing]').click();
    await sees(page, '[data-testid=listing-row] [role=alert]', /Say why/);
    await mule.locator('input[name=reason]').fill('The court lifted the order');
    await mule.locator('[data-testid=withdraw-listing]').click();
    await sees(page, '[data-testid=listing-count]', /In force: 1/);
    await sees(page, '[data-testid=listing-status]', /Withdrawn: The court lifted the order/);
    assert.equal((await decide('pay-3', 'M')).decision, 'hold', 'no longer blocked, still suspicious');
    const shared = await iz.api('GET', '/v1/fraud/listings', undefined, iz.tokens.ingest);
    assert.deepEqual(shared.map((l) => l.target.value), ['+77001112233']);
    await page.context().close();
  });

  test('a prosecutor reads the queue and the block-lists but changes nothing', async () => {
    const page = await iz.signIn('prosecutor', '/fraud');
    await page.locator('[data-testid=case-status]').selectOption('confirmed');
    await sees(page, '[data-testid=case]', /KASPI\/M/);
    assert.equal(await page.locator('[data-testid=confirm-case]').count(), 0);
    await page.goto(iz.base + '/fraud/listings');
    await sees(page, '[data-testid=listing-row]', /\+77001112233/);
    assert.equal(await page.locator('[data-testid=withdraw-listing], [data-testid=add-listing]').count(), 0);
    await page.context().close();
  });
});
