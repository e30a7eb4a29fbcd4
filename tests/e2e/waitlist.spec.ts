import { expect } from 'chai';
import type { Browser, BrowserContext } from 'playwright-core';
import { buyerContext } from './support/buyer-context.js';
import { launchChromium } from './support/chromium.js';
import { Onsale, reservedShow, type Member } from './support/onsale.js';
import { snap } from './support/screenshots.js';

/** Two rows of three: small enough to sell out over the API. */
const smallHall = { sections: [{ id: 'A', name: 'A', rows: 2, seatsPerRow: 3, price: 121000 }] };

describe('the web front end: the waiting list of a sold-out show (chromium, MariaDB + Redis)', function () {
  this.timeout(120_000);
  let onsale: Onsale;
  let browser: Browser;
  let korean: BrowserContext;
  let english: BrowserContext;
  let admin: Member;
  let buyer: Member;
  let first: Member;
  let second: Member;
  let showId: string;
  let reservationId: string;

  before(async function () {
    browser = await launchChromium(this);
    onsale = await Onsale.start(this);
    admin = await onsale.admin();
    showId = await onsale.createShow(admin, reservedShow({ title: '별빛 오케스트라 — 앙코르', seating: smallHall }));
    [buyer, first, second] = [await onsale.member('김서연'), await onsale.member('이도윤'), await onsale.member('Jamie Park')];
    reservationId = await onsale.book(showId, buyer, { seats: ['A-1-1', 'A-1-2'] });
    await onsale.book(showId, buyer, { seats: ['A-1-3', 'A-2-1'] });
    await onsale.book(showId, (await onsale.member()) as Member, { seats: ['A-2-2', 'A-2-3'] });
    korean = await buyerContext(browser, 'ko', first);
    english = await buyerContext(browser, 'en', second);
  });

  after(async () => {
    await korean?.close();
    await english?.close();
    await browser?.close();
    await onsale?.close();
  });

  it('when a member joins the list of a sold-out show, then they see their place, and the next member theirs', async () => {
    const page = await korean.newPage();
    await page.goto(`${onsale.url}/shows/${showId}`);
    await page.getByTestId('waitlist-join').waitFor();
    await snap(page, '50-waitlist-join');
    await page.getByTestId('quantity').fill('2');
    await page.getByTestId('quantity').dispatchEvent('change');
    await page.getByTestId('waitlist-join').click();
    await page.getByTestId('waitlist-place').waitFor();
    expect(await page.getByTestId('waitlist-place').textContent()).to.contain('대기 1번째');
    await snap(page, '51-waitlist-place');

    const other = await english.newPage();
    await other.goto(`${onsale.url}/shows/${showId}`);
    await other.getByTestId('waitlist-join').click();
    await other.getByTestId('waitlist-place').waitFor();
    expect(await other.getByTestId('waitlist-place').textContent()).to.contain('You are number 2 on the waiting list');
    await snap(other, '52-waitlist-place-english');
    await page.close();
    await other.close();

    const console = await buyerContext(browser, 'ko', admin);
    const box = await console.newPage();
    await box.goto(`${onsale.url}/admin/shows/${showId}`);
    await box.getByTestId('waitlist-size').waitFor();
    expect(await box.getByTestId('waitlist-size').textContent())
      .to.contain('대기자 명단')
      .and.to.contain('2');
    await snap(box, '55-console-waitlist');
    await console.close();
  });

  it('when seats come back, then the first member sees them held in their name with a deadline, and books them on the hold page', async () => {
    const page = await korean.newPage();
    await page.goto(`${onsale.url}/shows/${showId}`);
    await page.getByTestId('waitlist-place').waitFor();
    await onsale.expect('DELETE', `/api/reservations/${reservationId}`, 204, { token: buyer.token });
    await page.getByTestId('waitlist-offer').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('waitlist-offer').textContent()).to.contain('A-1-1, A-1-2');
    await snap(page, '53-waitlist-offer');
    await page.getByTestId('waitlist-review').click();
    await page.getByTestId('confirm').waitFor();
    await snap(page, '54-waitlist-hold');
    await page.getByTestId('confirm').click();
    const mine = await onsale.until('/api/members/me/reservations', first, (list) => JSON.stringify(list).includes('A-1-1'));
    expect(JSON.stringify(mine)).to.contain('A-1-2');
    const place = await onsale.request('GET', `/api/shows/${showId}/waitlist`, { token: second.token });
    expect(place.body).to.include({ place: 1 });
  });
});
