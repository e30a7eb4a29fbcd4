import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/chromium.js';
import { Onsale, reservedShow, type Member } from './support/onsale.js';
import { DESKTOP, PHONE, snap } from './support/screenshots.js';

const HOLD_TTL_SECONDS = 6;
const status = (page: Page, id: string) => page.locator(`[data-seat-id="${id}"]`).getAttribute('data-status');

describe('the web front end: a hold left alone (chromium, MariaDB + Redis)', function () {
  this.timeout(120_000);
  let onsale: Onsale;
  let browser: Browser;
  let buyer: BrowserContext;
  let observer: BrowserContext;
  let member: Member;
  let showId: string;

  before(async function () {
    browser = await launchChromium(this);
    onsale = await Onsale.start(this, { HOLD_TTL_SECONDS: String(HOLD_TTL_SECONDS) });
    showId = await onsale.createShow(await onsale.admin(), reservedShow({ title: 'Short holds' }));
    member = await onsale.member('이도윤');
    buyer = await browser.newContext({ locale: 'ko-KR', timezoneId: 'Asia/Seoul', viewport: DESKTOP });
    observer = await browser.newContext({ locale: 'ko-KR', timezoneId: 'Asia/Seoul', viewport: PHONE, isMobile: true, hasTouch: true });
  });

  after(async () => {
    await buyer?.close();
    await observer?.close();
    await browser?.close();
    await onsale?.close();
  });

  it('when nobody confirms a hold, then it expires and its seats come back for everyone', async () => {
    const page = await buyer.newPage();
    await page.goto(`${onsale.url}/login?next=/shows/${showId}`);
    await snap(page, '00-login');
    await page.getByLabel('이메일').fill(member.email);
    await page.getByLabel('비밀번호').fill(member.password);
    await page.getByRole('button', { name: '로그인' }).click();
    await page.waitForURL(`${onsale.url}/shows/${showId}`);

    await page.locator('[data-seat-id="A-1-3"]').click();
    await page.locator('[data-seat-id="A-1-4"]').click();
    await page.getByTestId('hold').click();
    await page.getByTestId('countdown').waitFor();

    const watcher = await observer.newPage();
    await watcher.goto(`${onsale.url}/shows/${showId}`);
    await watcher.locator('[data-seat-id="A-1-3"][data-status="held"]').waitFor();
    expect(await status(watcher, 'A-1-4')).to.equal('held');
    await snap(watcher, '10-seat-map-held');

    await page.getByTestId('hold-expired').waitFor({ timeout: (HOLD_TTL_SECONDS + 5) * 1000 });
    expect(await page.getByTestId('confirm').count()).to.equal(0);
    await snap(page, '11-hold-expired');

    await watcher.locator('[data-seat-id="A-1-3"][data-status="available"]').waitFor({ timeout: 15_000 });
    expect(await status(watcher, 'A-1-4')).to.equal('available');
  });
});
