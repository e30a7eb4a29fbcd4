import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buyerContext } from './support/buyer-context.js';
import { launchChromium } from './support/chromium.js';
import { Onsale, reservedShow, type Member } from './support/onsale.js';
import { snap } from './support/screenshots.js';

const announced = (page: Page, text: string) =>
  page.waitForFunction(`document.querySelector('[data-testid="announcer"]')?.textContent?.includes(${JSON.stringify(text)})`);
const mine = async (page: Page) =>
  page.locator('[data-mine="true"]').evaluateAll((seats) => seats.map((s) => s.getAttribute('data-seat-id')));

describe('the web front end: best available beside the seat map (chromium, MariaDB + Redis)', function () {
  this.timeout(180_000);
  let onsale: Onsale;
  let browser: Browser;
  let context: BrowserContext;
  let buyer: Member;
  let showId: string;
  let admin: Member;

  before(async function () {
    browser = await launchChromium(this);
    onsale = await Onsale.start(this);
    admin = await onsale.admin();
    showId = await onsale.createShow(admin, reservedShow({ title: '별빛 오케스트라 — 최적 좌석' }));
    buyer = await onsale.member('박서연');
    context = await buyerContext(browser, 'ko', buyer);
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await onsale?.close();
  });

  it('when a buyer asks for the best 2 seats in section A, then the map outlines them with the countdown, and "choose other seats" lets them go for picking by hand', async () => {
    const page = await context.newPage();
    await page.goto(`${onsale.url}/shows/${showId}`);
    await page.getByTestId('best-available').waitFor();
    await page.getByLabel('매수').selectOption('2');
    await page.getByLabel('구역 또는 가격').selectOption('section:A');
    await snap(page, '17-best-available');

    // by keyboard: Enter on the button
    await page.getByTestId('best-find').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('best-hold').waitFor();
    // the middle of the front row of A (12 seats): 6 and 7, outlined on the map and listed beside it
    expect(await mine(page)).to.deep.equal(['A-1-6', 'A-1-7']);
    expect(await page.getByTestId('best-seats').locator('li').allTextContents()).to.deep.equal(['A 구역 1열 6번', 'A 구역 1열 7번']);
    await page.getByTestId('best-countdown').waitFor();
    expect(await page.evaluate<string>('document.activeElement?.id')).to.equal('best-hold-title');
    await announced(page, '2석을 잡았습니다');
    expect(await page.locator('[data-seat-id="A-1-6"]').getAttribute('aria-label')).to.contain('내가 잡은 좌석');
    await snap(page, '18-best-available-held');

    // from the heading, Tab reaches "book these seats", then "choose other seats"
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>(`document.activeElement?.getAttribute('data-testid')`)).to.equal('best-book');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>(`document.activeElement?.getAttribute('data-testid')`)).to.equal('best-other');
    await page.keyboard.press('Enter');
    await page.getByTestId('best-available').waitFor();
    expect(await mine(page)).to.deep.equal([]);
    // focus is back on the map, to pick by hand
    await page.waitForFunction(`document.activeElement?.hasAttribute('data-seat-id')`);
    await announced(page, '직접 고르세요');
    const map = await onsale.until(`/api/shows/${showId}/seats`, buyer, (body) => body.sections[0].rows[0][5] === 'a');
    expect(map.sections[0].rows[0].slice(5, 7)).to.equal('aa');

    // picking by hand again: the seats best available had are free to pick
    await page.locator('[data-seat-id="A-1-6"][data-status="available"]').click();
    await page.getByTestId('hold').click();
    await page.getByTestId('countdown').waitFor();
    expect(await page.getByTestId('hold-seats').textContent()).to.equal('A-1-6');
    await page.getByTestId('release').click();
    await page.waitForURL(`${onsale.url}/shows/${showId}`);
  });

  it('when a buyer books the best available seats, then they go through the hold page to a confirmed booking', async () => {
    const page = await context.newPage();
    await page.goto(`${onsale.url}/shows/${showId}`);
    await page.getByTestId('best-available').waitFor();
    await page.getByLabel('매수').selectOption('3');
    await page.getByTestId('best-find').click();
    await page.getByTestId('best-hold').waitFor();
    const seats = await mine(page);
    expect(seats).to.have.length(3);
    await page.getByTestId('best-book').click();
    await page.getByTestId('countdown').waitFor();
    expect(await page.getByTestId('hold-seats').textContent()).to.equal(seats.join(', '));
    await page.getByTestId('confirm').click();
    await page.getByTestId('confirmation').waitFor();
    const reservations = await onsale.until('/api/members/me/reservations', buyer, (body) => body.length === 1);
    expect([...reservations[0].seats].sort()).to.deep.equal([...seats].sort());
  });

  it('when no seats are left side by side, then the buyer reads how many still are (BOOKING.NOT_TOGETHER), and how many are left when fewer than asked, in English too', async () => {
    const small = await onsale.createShow(
      admin,
      reservedShow({ title: 'Small room', seating: { sections: [{ id: 'A', name: 'A', rows: 1, seatsPerRow: 6, price: 50000 }] } }),
    );
    const other = await onsale.member('Other');
    await onsale.expect('POST', `/api/shows/${small}/holds`, 201, { token: other.token, body: { seats: ['A-1-3', 'A-1-4'] } });
    const english = await buyerContext(browser, 'en', await onsale.member('Jo'));
    try {
      const page = await english.newPage();
      await page.goto(`${onsale.url}/shows/${small}`);
      await page.getByTestId('best-available').waitFor();
      await page.getByLabel('Tickets').first().selectOption('3');
      await page.getByTestId('best-find').click();
      const error = page.locator('.best-panel [data-testid="error"]');
      await error.waitFor();
      expect(await error.textContent()).to.contain('No 3 seats side by side are left; the most still together is 2.');
      await snap(page, '19-best-available-not-together');

      // the other buyer takes 5 and 6 as well: two seats are left, fewer than asked for
      await onsale.expect('POST', `/api/shows/${small}/holds`, 201, { token: other.token, body: { seats: ['A-1-5', 'A-1-6'] } });
      await page.getByTestId('best-find').click();
      await page.locator('.best-panel [data-testid="error"]', { hasText: 'Only 2 tickets are left.' }).waitFor();
    } finally {
      await english.close();
    }
  });

  it('when a hand pick would strand a single seat on a show that refuses it, then the buyer reads which seat and what to pick instead; a show that only warns says so on the hold page', async () => {
    const strict = await onsale.createShow(
      admin,
      reservedShow({
        title: 'No lonely seats',
        orphanSeats: 'refuse',
        seating: { sections: [{ id: 'A', name: 'A', rows: 1, seatsPerRow: 6, price: 50000 }] },
      }),
    );
    const page = await context.newPage();
    try {
      await page.goto(`${onsale.url}/shows/${strict}`);
      await page.locator('[data-seat-id="A-1-2"]').click();
      await page.locator('[data-seat-id="A-1-3"]').click();
      await page.getByTestId('hold').click();
      const error = page.locator('.action-bar [data-testid="error"]');
      await error.waitFor();
      expect(await error.textContent()).to.match(/이대로면 A-1-1 좌석 하나만 외따로 남습니다\. .+ 좌석은 어떠세요\?/);

      // a show that only warns: the hold is placed, and the hold page says which seat is left alone
      const lenient = await onsale.createShow(
        admin,
        reservedShow({
          title: 'Warned',
          orphanSeats: 'warn',
          seating: { sections: [{ id: 'A', name: 'A', rows: 1, seatsPerRow: 6, price: 50000 }] },
        }),
      );
      await page.goto(`${onsale.url}/shows/${lenient}`);
      await page.locator('[data-seat-id="A-1-2"]').click();
      await page.locator('[data-seat-id="A-1-3"]').click();
      await page.getByTestId('hold').click();
      await page.getByTestId('countdown').waitFor();
      expect(await page.getByTestId('hold-warning').textContent()).to.contain('A-1-1 좌석 하나만 외따로 남습니다');
      await page.getByTestId('release').click();
      await page.waitForURL(`${onsale.url}/shows/${lenient}`);
    } finally {
      await page.close();
    }
  });
});
