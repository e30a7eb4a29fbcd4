import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/chromium.js';
import { generalAdmissionShow, Onsale, reservedShow, type Member } from './support/onsale.js';
import { DESKTOP, PHONE, snap } from './support/screenshots.js';

const seat = (page: Page, id: string) => page.locator(`[data-seat-id="${id}"]`);
const CONTEXT = { locale: 'ko-KR', timezoneId: 'Asia/Seoul' };

describe('the web front end: buying through the waiting room (chromium, MariaDB + Redis)', function () {
  this.timeout(180_000);
  let onsale: Onsale;
  let browser: Browser;
  let buyer: BrowserContext;
  let observer: BrowserContext;
  let showId: string;
  let gaShowId: string;
  let ahead: Member[];

  before(async function () {
    browser = await launchChromium(this);
    onsale = await Onsale.start(this);
    const admin = await onsale.admin();
    // One shopper at a time, so that the buyer waits behind people who joined first.
    showId = await onsale.createShow(admin, reservedShow({ queue: { enabled: true, admitPerSecond: 2, maxActive: 1 } }));
    gaShowId = await onsale.createShow(admin, generalAdmissionShow());
    ahead = [await onsale.member('Early 1'), await onsale.member('Early 2'), await onsale.member('Early 3')];
    for (const member of ahead) await onsale.joinQueue(showId, member);
    buyer = await browser.newContext({ ...CONTEXT, viewport: DESKTOP });
    observer = await browser.newContext({ ...CONTEXT, viewport: PHONE, isMobile: true, hasTouch: true });
  });

  /** The show's remaining count once it equals `expected` (read models follow writes closely), or after 5 s. */
  async function remainingOf(id: string, expected: number): Promise<number> {
    const end = Date.now() + 5000;
    for (;;) {
      const { remaining } = await onsale.expect('GET', `/api/shows/${id}`, 200);
      if (remaining === expected || Date.now() > end) return remaining;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  after(async () => {
    await buyer?.close();
    await observer?.close();
    await browser?.close();
    await onsale?.close();
  });

  it('when a buyer signs up, queues, picks two seats and confirms, then they are in "my reservations" and sold for everyone', async () => {
    const page = await buyer.newPage();
    const watcher = await observer.newPage();

    await page.goto(`${onsale.url}/signup`);
    await snap(page, '01-signup');
    await page.getByLabel('이메일').fill(`buyer-${Date.now()}@example.com`);
    await page.getByLabel('비밀번호').fill('a long enough password');
    await page.getByLabel('이름').fill('김하늘');
    await page.getByRole('button', { name: '가입하기' }).click();
    await page.waitForURL(`${onsale.url}/`);
    await page.locator(`[data-show-id="${showId}"]`).waitFor();
    await snap(page, '02-shows');

    await page.locator(`[data-show-id="${showId}"] a`).click();
    await seat(page, 'A-1-5').waitFor();
    await page.getByTestId('join-queue').click();
    await page.getByTestId('queue-waiting').waitFor();
    expect(Number(await page.getByTestId('queue-ahead').textContent())).to.be.greaterThan(0);
    await snap(page, '03-waiting-room');

    // The people ahead give up their places: the buyer moves up and is let in.
    for (const member of ahead) await onsale.expect('DELETE', `/api/shows/${showId}/queue`, 204, { token: member.token });
    await page.getByTestId('admitted').waitFor({ timeout: 30_000 });
    expect(page.url()).to.equal(`${onsale.url}/shows/${showId}`);

    await watcher.goto(`${onsale.url}/shows/${showId}`);
    await seat(watcher, 'A-1-5').waitFor();
    expect(await seat(watcher, 'A-1-5').getAttribute('data-status')).to.equal('available');

    await seat(page, 'A-1-5').click();
    // the second seat by keyboard: arrow keys move along the row, Space picks
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    expect(await page.evaluate('document.activeElement.dataset.seatId')).to.equal('A-1-6');
    expect(await seat(page, 'A-1-5').getAttribute('aria-pressed')).to.equal('true');
    expect(await page.getByTestId('total').textContent()).to.contain('242,000');
    await snap(page, '04-seat-map');

    await page.getByTestId('hold').click();
    await page.getByTestId('countdown').waitFor();
    expect(await page.getByTestId('hold-seats').textContent()).to.equal('A-1-5, A-1-6');
    await snap(page, '05-hold');

    await page.getByTestId('confirm').click();
    await page.getByTestId('confirmation').waitFor();
    await snap(page, '06-confirmed');

    await page.getByTestId('to-reservations').click();
    await page.getByTestId('reservation-seats').first().waitFor();
    expect(await page.getByTestId('reservation-seats').first().textContent()).to.contain('A-1-5, A-1-6');
    await snap(page, '07-reservations');

    // The other browser polls the seat map: both seats turn sold without a reload.
    await watcher.locator('[data-seat-id="A-1-5"][data-status="sold"]').waitFor({ timeout: 15_000 });
    await watcher.locator('[data-seat-id="A-1-6"][data-status="sold"]').waitFor({ timeout: 15_000 });
    await snap(watcher, '08-seat-map-live');

    await page.getByTestId('lang-switch').click();
    await page.getByRole('heading', { name: 'My tickets' }).waitFor();
    await snap(page, '09-reservations-english');
  });

  it('when the buyer cancels a reservation, then its seats are for sale again', async () => {
    const page = buyer.pages()[0]!;
    await page.getByTestId('cancel').first().click();
    await page.getByTestId('cancel-yes').click();
    const watcher = observer.pages()[0]!;
    await watcher.locator('[data-seat-id="A-1-5"][data-status="available"]').waitFor({ timeout: 15_000 });
  });

  it('when a buyer holds general-admission tickets and lets them go, then the count comes back', async () => {
    const page = buyer.pages()[0]!;
    await page.goto(`${onsale.url}/shows/${gaShowId}`);
    await page.getByTestId('ga-remaining').waitFor();
    expect(await page.getByTestId('ga-remaining').textContent()).to.contain('300');
    await page.getByRole('button', { name: 'One more' }).click();
    await page.getByRole('button', { name: 'One more' }).click();
    expect(await page.getByTestId('quantity').inputValue()).to.equal('3');
    expect(await page.getByTestId('total').textContent()).to.equal('US$135.00');
    await snap(page, '12-general-admission');

    await page.getByTestId('hold').click();
    await page.getByTestId('countdown').waitFor();
    expect(await page.getByTestId('hold-seats').textContent()).to.equal('Tickets: 3');
    expect(await remainingOf(gaShowId, 297)).to.equal(297);
    await page.getByTestId('release').click();
    await page.waitForURL(`${onsale.url}/shows/${gaShowId}`);
    await page.getByText('300 tickets left').first().waitFor({ timeout: 15_000 });
  });

  it('when Server-Sent Events cannot get through, then the waiting room polls and still lets the buyer in', async () => {
    const first = await onsale.member('First in line');
    await onsale.joinQueue(showId, first);
    const late = await onsale.member('Polling buyer');
    const context = await browser.newContext({ ...CONTEXT, viewport: PHONE, isMobile: true, hasTouch: true });
    try {
      await context.route('**/queue/events', (route) => route.abort());
      const session = JSON.stringify({ accessToken: late.token, expiresAt: Date.now() + 3_600_000 });
      await context.addInitScript({ content: `localStorage.setItem('onsale.session', ${JSON.stringify(session)});` });
      const page = await context.newPage();
      await page.goto(`${onsale.url}/shows/${showId}/queue`);
      await page.getByTestId('queue-waiting').waitFor();
      await page.getByText('몇 초마다 확인 중').waitFor();
      await onsale.expect('DELETE', `/api/shows/${showId}/queue`, 204, { token: first.token });
      await page.getByTestId('admitted').waitFor({ timeout: 30_000 });
    } finally {
      await context.close();
    }
  });

  it('when the last tickets sell while a buyer waits, then the waiting room says it is sold out', async () => {
    const admin = await onsale.admin();
    const tiny = await onsale.createShow(
      admin,
      generalAdmissionShow({
        title: 'Tiny room',
        seating: { generalAdmission: { capacity: 2, price: 3000 } },
        queue: { enabled: true, admitPerSecond: 5, maxActive: 1 },
      }),
    );
    const lucky = await onsale.member('Lucky');
    await onsale.joinQueue(tiny, lucky);
    const waiter = await onsale.member('Waiting buyer');
    const context = await browser.newContext({ ...CONTEXT, viewport: DESKTOP });
    try {
      const session = JSON.stringify({ accessToken: waiter.token, expiresAt: Date.now() + 3_600_000 });
      await context.addInitScript({ content: `localStorage.setItem('onsale.session', ${JSON.stringify(session)});` });
      const page = await context.newPage();
      await page.goto(`${onsale.url}/shows/${tiny}/queue`);
      await page.getByTestId('queue-waiting').waitFor();

      const admitted = await onsale.until(`/api/shows/${tiny}/queue`, lucky, (body) => body.state === 'admitted');
      const hold = await onsale.expect('POST', `/api/shows/${tiny}/holds`, 201, {
        token: lucky.token,
        body: { quantity: 2 },
        headers: { 'Admission-Token': admitted.admissionToken },
      });
      // Holding the last tickets closes the room once the shows read model has them. Confirming first
      // would free Lucky's place, and on a slow machine the waiter could be admitted before the close.
      await onsale.until(`/api/shows/${tiny}/queue`, waiter, (body) => body.state === 'closed');
      await onsale.expect('POST', `/api/holds/${hold.holdId}/confirm`, 201, { token: lucky.token });

      await page.getByTestId('queue-closed').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('queue-closed').textContent()).to.contain('매진');
      expect(await page.getByTestId('queue-to-waitlist').getAttribute('href')).to.equal(`/shows/${tiny}`);
      await snap(page, '13-sold-out');
    } finally {
      await context.close();
    }
  });
});
