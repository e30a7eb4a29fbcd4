import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, seriousOrWorse } from './support/axe.js';
import { buyerContext } from './support/buyer-context.js';
import { launchChromium } from './support/chromium.js';
import { generalAdmissionShow, Onsale, reservedShow, type Member } from './support/onsale.js';
import { readQr } from './support/read-qr.js';
import { PHONE, snap, snapAsIs } from './support/screenshots.js';

/** What a QR reader makes of the page's QR image (drawn onto a canvas in the page, read by jsQR here). */
async function qrText(page: Page, index: number): Promise<string | undefined> {
  const size = 300;
  // A string, since the tests are type-checked without the DOM's types.
  const pixels = await page.evaluate<number[]>(`(() => {
    const image = document.querySelectorAll('[data-testid="ticket-qr"]')[${index}];
    const canvas = Object.assign(document.createElement('canvas'), { width: ${size}, height: ${size} });
    const draw = canvas.getContext('2d');
    draw.drawImage(image, 0, 0, ${size}, ${size});
    return Array.from(draw.getImageData(0, 0, ${size}, ${size}).data);
  })()`);
  return readQr(Uint8ClampedArray.from(pixels), size, size);
}

describe('the web front end: e-tickets on "my reservations" (chromium, MariaDB + Redis)', function () {
  this.timeout(180_000);
  let onsale: Onsale;
  let browser: Browser;
  let buyer: Member;
  let door: Member;
  let reservationId: string;
  let gaReservationId: string;

  before(async function () {
    browser = await launchChromium(this);
    onsale = await Onsale.start(this);
    const admin = await onsale.admin();
    const showId = await onsale.createShow(admin, reservedShow());
    const gaShowId = await onsale.createShow(admin, generalAdmissionShow());
    buyer = await onsale.member('김하늘');
    door = await onsale.staff(admin);
    reservationId = await onsale.book(showId, buyer, { seats: ['A-2-5', 'A-2-6'] });
    gaReservationId = await onsale.book(gaShowId, buyer, { quantity: 1 });
  });

  after(async () => {
    await browser?.close();
    await onsale?.close();
  });

  it('when the buyer opens a booking’s tickets, then each seat has a QR code that reads as its signed code, and a used one says where it was admitted', async () => {
    const { tickets } = await onsale.expect('GET', `/api/reservations/${reservationId}/tickets`, 200, { token: buyer.token });
    await onsale.expect('POST', '/api/checkins', 201, { token: door.token, body: { code: tickets[1].code, gate: 'North 2' } });

    const context = await buyerContext(browser, 'ko', buyer);
    const page = await context.newPage();
    await page.goto(`${onsale.url}/me/reservations`);
    const card = page.locator(`[data-reservation-id="${reservationId}"]`);
    const toggle = card.getByTestId('show-tickets');
    expect(await toggle.textContent()).to.contain('티켓 보기 (2매)');
    expect(await toggle.getAttribute('aria-expanded')).to.equal('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).to.equal('true');
    await card.getByTestId('ticket-qr').nth(1).waitFor();

    expect(await card.getByTestId('ticket-seat').allTextContents()).to.deep.equal(['A-2-5', 'A-2-6']);
    expect(await card.getByTestId('ticket-qr').first().getAttribute('alt')).to.equal('A-2-5 입장 QR 코드');
    expect(await qrText(page, 0)).to.equal(tickets[0].code);
    expect(await card.getByTestId('ticket-used').textContent()).to.contain('North 2 게이트에서 입장함');
    expect(seriousOrWorse(await axeViolations(page))).to.deep.equal([]);
    await page.evaluate('window.scrollTo(0, 0)');
    await snap(page, '20-tickets');
    await page.setViewportSize(PHONE);
    await card.getByTestId('ticket-qr').first().scrollIntoViewIfNeeded();
    await snapAsIs(page, '20-tickets-qr', 'phone');

    // General admission: one ticket per unit, named so rather than by a seat.
    await page.locator(`[data-reservation-id="${gaReservationId}"]`).getByTestId('show-tickets').click();
    await page.locator(`[data-reservation-id="${gaReservationId}"]`).getByTestId('ticket-seat').waitFor();
    expect(await page.locator(`[data-reservation-id="${gaReservationId}"]`).getByTestId('ticket-seat').textContent()).to.equal('자유석');
    await context.close();
  });

  it('when the page is printed or read in English, then it shows only the tickets, in the buyer’s language', async () => {
    const context = await buyerContext(browser, 'en', buyer);
    const page = await context.newPage();
    await page.goto(`${onsale.url}/me/reservations`);
    await page.locator(`[data-reservation-id="${reservationId}"]`).getByTestId('show-tickets').click();
    await page.getByTestId('ticket-qr').first().waitFor();
    expect(await page.getByTestId('ticket-qr').first().getAttribute('alt')).to.equal('QR code to enter, A-2-5');
    expect(await page.getByTestId('ticket-used').textContent()).to.contain('Admitted at gate North 2');
    await snap(page, '21-tickets-english');

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).to.equal(false);
    expect(await page.getByTestId('print').isVisible()).to.equal(false);
    expect(await page.getByTestId('ticket-qr').first().isVisible()).to.equal(true);
    await context.close();
  });

  it('when a booking is cancelled, then its tickets are gone from the page', async () => {
    await onsale.expect('DELETE', `/api/reservations/${gaReservationId}`, 204, { token: buyer.token });
    const context = await buyerContext(browser, 'en', buyer);
    const page = await context.newPage();
    await page.goto(`${onsale.url}/me/reservations`);
    await page.locator(`[data-reservation-id="${reservationId}"]`).waitFor();
    await page.locator(`[data-reservation-id="${gaReservationId}"].reservation-cancelled`).waitFor();
    expect(await page.locator(`[data-reservation-id="${gaReservationId}"]`).getByTestId('show-tickets').count()).to.equal(0);
    await context.close();
  });
});
