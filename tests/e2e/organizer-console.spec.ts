import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { SetupTokens } from '../../src/application/ports/setup-tokens.js';
import { TOKENS } from '../../src/application/tokens.js';
import { axeViolations, seriousOrWorse } from './support/axe.js';
import { bookThroughPages } from './support/book-through-pages.js';
import { buyerContext } from './support/buyer-context.js';
import { launchChromium } from './support/chromium.js';
import { generalAdmissionShow, Onsale, reservedShow, type Member } from './support/onsale.js';
import { DESKTOP, PHONE, snap, snapAsIs } from './support/screenshots.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the organizer console: setup link, run the sale, reservations and history (chromium, MariaDB + Redis)', function () {
  this.timeout(180_000);
  let onsale: Onsale;
  let browser: Browser;
  let organizer: BrowserContext;
  let page: Page;
  let admin: Member;
  let buyer: Member;
  let reservedId: string;
  let queuedId: string;

  before(async function () {
    browser = await launchChromium(this);
    onsale = await Onsale.start(this);
    organizer = await buyerContext(browser, 'ko');
    page = await organizer.newPage();
  });

  after(async () => {
    await organizer?.close();
    await browser?.close();
    await onsale?.close();
  });

  /** Desktop and phone shots with `part` scrolled into view in each. */
  const snapAt = async (part: ReturnType<Page['locator']>, name: string) => {
    for (const [size, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      await page.setViewportSize(viewport);
      await sleep(300); // charts redraw at their new width
      await part.scrollIntoViewIfNeeded();
      await snapAsIs(page, name, size);
    }
    await page.setViewportSize(DESKTOP);
  };

  const expectAccessible = async (on: Page) => expect(seriousOrWorse(await axeViolations(on)).map((v) => v.id)).to.deep.equal([]);

  const showPage = async (id: string) => {
    await page.goto(`${onsale.url}/admin/shows/${id}`);
    await page.getByTestId('figures').waitFor();
  };

  it('when the setup link printed at start-up is opened, then the account made there is the admin and lands in the console', async () => {
    // the token a server prints on a store with no admin (this one runs silent)
    const { token } = onsale.running.container.resolve<SetupTokens>(TOKENS.SetupTokens).issue(new Date());
    await page.goto(`${onsale.url}/setup?token=${token}`);
    await page.getByRole('button', { name: '관리자 계정 만들기' }).waitFor();
    await snap(page, '30-setup');
    admin = { email: 'organizer@example.com', password: 'organizer password', name: '운영자 한소라', token: '' };
    await page.getByLabel('이메일').fill(admin.email);
    await page.getByLabel('비밀번호').fill(admin.password);
    await page.getByLabel('이름').fill(admin.name);
    await page.getByRole('button', { name: '관리자 계정 만들기' }).click();
    await page.waitForURL(`${onsale.url}/admin`);
    await page.getByRole('link', { name: '콘솔' }).waitFor();
    admin.token = (
      await onsale.expect('POST', '/api/auth/login', 200, { body: { email: admin.email, password: admin.password } })
    ).accessToken;
    reservedId = await onsale.createShow(admin, reservedShow());
    queuedId = await onsale.createShow(
      admin,
      generalAdmissionShow({ title: 'Han River Jazz Night', queue: { enabled: true, admitPerSecond: 5, maxActive: 50 } }),
    );
    await onsale.createShow(
      admin,
      reservedShow({ title: '봄의 소리 — 예정 공연', salesOpenAt: new Date(Date.now() + 7 * 86_400_000).toISOString() }),
    );
    buyer = await onsale.member('김하늘');
    const hold = await onsale.expect('POST', `/api/shows/${reservedId}/holds`, 201, {
      token: buyer.token,
      body: { seats: ['A-1-1', 'A-1-2'] },
    });
    await onsale.expect('POST', `/api/holds/${hold.holdId}/confirm`, 201, { token: buyer.token });
    await page.reload();
    const card = page.locator(`[data-show-id="${reservedId}"]`);
    await card.getByText('판매 2').waitFor();
    expect(await card.getByTestId('state').textContent()).to.equal('판매 중');
    expect(await page.locator('[data-testid="state"]').allTextContents()).to.include('판매 예정');
    await expectAccessible(page);
    await snap(page, '31-console-shows');
  });

  it('when the admin pauses admissions, then a waiting buyer stays waiting until the admin resumes', async () => {
    await showPage(queuedId);
    await page.getByRole('button', { name: '입장 일시 중지' }).click();
    await page.getByTestId('state').getByText('입장 일시 중지').waitFor();
    const waiter = await onsale.member('대기 손님');
    expect((await onsale.joinQueue(queuedId, waiter)).state).to.equal('waiting');
    await sleep(2000);
    expect((await onsale.expect('GET', `/api/shows/${queuedId}/queue`, 200, { token: waiter.token })).state).to.equal('waiting');
    const waiting = await buyerContext(browser, 'ko', waiter);
    const waitingPage = await waiting.newPage();
    await waitingPage.goto(`${onsale.url}/shows/${queuedId}/queue`);
    await waitingPage.getByTestId('queue-paused').waitFor();
    await snap(waitingPage, '38-waiting-room-paused');
    await waiting.close();
    await page.getByLabel('초당 입장 인원').fill('20');
    await page.getByRole('button', { name: '적용' }).click();
    await page.getByText('초당 20명').waitFor();
    await snap(page, '32-console-run-sale');
    await page.getByRole('button', { name: '입장 재개' }).click();
    await page.getByTestId('state').getByText('판매 중').waitFor();
    await onsale.until(`/api/shows/${queuedId}/queue`, waiter, (body) => body.state === 'admitted');
    await page.goto(`${onsale.url}/admin/shows/${queuedId}/live`);
    await page.getByTestId('live-figures').getByText('입장 누적').waitFor();
    // members admitted while the dashboard is open: admissions and their ETA error on the charts
    for (const name of ['손님 하나', '손님 둘', '손님 셋']) await onsale.joinQueue(queuedId, await onsale.member(name));
    await sleep(4000);
    // sold / held, bookings per second, the waiting room, admissions, ETA error, projection lag, 4xx/5xx
    expect(await page.locator('.live-chart canvas').count()).to.equal(7);
    await snap(page, '37-console-live-waiting-room');
    await snapAt(page.locator('.live-chart').nth(4), '43-console-live-eta-lag-errors');
  });

  it('when a second buyer books two seats, then the live dashboard shows them within two seconds, charted', async () => {
    await page.goto(`${onsale.url}/admin/shows/${reservedId}/live`);
    const sold = page.getByTestId('live-sold');
    await sold.getByText('2 / 96').waitFor();
    await sleep(3000); // a few samples on the charts first
    // the second buyer in a browser of their own, through the buyer's pages
    const second = await buyerContext(browser, 'ko', await onsale.member('이도윤'));
    await bookThroughPages(await second.newPage(), onsale.url, reservedId, ['B-2-7', 'B-2-8']);
    const booked = Date.now();
    await sold.getByText('4 / 96').waitFor({ timeout: 2000 });
    expect(Date.now() - booked).to.be.below(2000);
    await second.close();
    // sold / held, bookings per second, projection lag, 4xx/5xx (no waiting room)
    expect(await page.locator('.live-chart canvas').count()).to.equal(4);
    // a forged code at a gate of this show: an alert on the dashboard, naming the gate
    const door = await onsale.staff(admin, reservedId);
    // under a key never published (TICKET.UNKNOWN_KEY): counted as forged, like a bad signature
    const forgedCode = `k1.${reservedId}.r${'0'.repeat(16)}.1.A-1-1.${'A'.repeat(86)}`;
    for (const gate of ['North', 'North', 'South']) {
      const refused = await onsale.request('POST', '/api/checkins', {
        token: door.token,
        body: { code: forgedCode, gate, showId: reservedId },
      });
      expect([refused.status, refused.body.code]).to.deep.equal([400, 'TICKET.UNKNOWN_KEY']);
    }
    await page.getByTestId('forged-alert').getByText('3건').waitFor({ timeout: 5000 });
    await sleep(1500);
    await expectAccessible(page);
    await snap(page, '36-console-live');
  });

  it('when the admin finds the buyer, cancels for them with a reason, then the seat’s history lists hold → confirm → cancel', async () => {
    await showPage(reservedId);
    await page.getByLabel('검색어').fill('하늘');
    await page.getByRole('button', { name: '검색', exact: true }).click();
    const row = page.getByTestId('admin-reservations').locator('li').first();
    await row.getByText('A-1-1, A-1-2').waitFor();
    await row.getByRole('button', { name: '구매자 대신 취소' }).click();
    await row.getByLabel('사유').fill('구매자 요청 (전화), 환불 완료');
    await row.getByRole('button', { name: '예매 취소' }).click();
    await row.getByText('취소됨').waitFor();
    await page.getByLabel('좌석 (예: A-3-7)').fill('a-1-1');
    await page.getByRole('button', { name: '이력 보기' }).click();
    const history = page.locator('section[aria-labelledby="seat-history-title"] [data-testid="history"] li');
    await history.first().waitFor();
    const types = await history.evaluateAll((items) => items.map((item) => item.getAttribute('data-type')));
    expect(types.filter((type) => ['HoldPlaced', 'HoldConfirmed', 'ReservationCancelled'].includes(type!))).to.deep.equal([
      'HoldPlaced',
      'HoldConfirmed',
      'ReservationCancelled',
    ]);
    await row.getByRole('button', { name: '이력' }).click();
    await row.getByTestId('history').waitFor();
    await expectAccessible(page);
    await snapAt(row, '33-console-reservations');
    await snapAt(page.locator('#seat-history-title'), '34-console-seat-history');
    const { sold } = await onsale.expect('GET', `/api/shows/${reservedId}`, 200);
    expect(sold).to.equal(2);
  });

  it('when a buyer opens the console, then they are told it is for administrators', async () => {
    const context = await buyerContext(browser, 'en', buyer);
    const buyerPage = await context.newPage();
    await buyerPage.goto(`${onsale.url}/admin`);
    await buyerPage.getByText('Only an administrator can open the console.').waitFor();
    await context.close();
    const english = await buyerContext(browser, 'en', admin);
    const adminPage = await english.newPage();
    await adminPage.goto(`${onsale.url}/admin`);
    await adminPage.getByTestId('admin-shows').waitFor();
    await adminPage.getByRole('link', { name: 'Console' }).waitFor();
    await snap(adminPage, '35-console-english');
    await english.close();
  });
});
