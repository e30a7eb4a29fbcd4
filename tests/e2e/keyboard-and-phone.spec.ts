import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { buyerContext } from './support/buyer-context.js';
import { launchChromium } from './support/chromium.js';
import { Onsale, reservedShow, type Member } from './support/onsale.js';
import { PHONE, snapAsIs } from './support/screenshots.js';

// The browser's side is written as strings: the tests are type-checked without the DOM's types.
const focused = (page: Page) =>
  page.evaluate<string>(`document.activeElement?.getAttribute('data-seat-id') ?? document.activeElement?.tagName`);
const activeId = (page: Page) => page.evaluate<string>('document.activeElement?.id');
const activeText = (page: Page) => page.evaluate<string>('document.activeElement?.textContent');
const announced = (page: Page) => page.getByTestId('announcer').textContent();

/** Waits until the live region says `text` (it is cleared first, then filled). */
async function announces(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    `document.querySelector('[data-testid="announcer"]')?.textContent?.includes(${JSON.stringify(text)})`,
    undefined,
    {
      timeout: 5000,
    },
  );
}

/** Presses Tab until focus is on an element matching `selector` (at most 40 times). */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if (await page.evaluate<boolean>(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe('the web front end: keyboard only, and a phone (chromium, MariaDB + Redis)', function () {
  this.timeout(180_000);
  let onsale: Onsale;
  let browser: Browser;
  let buyer: Member;
  let showId: string;

  before(async function () {
    browser = await launchChromium(this);
    onsale = await Onsale.start(this);
    showId = await onsale.createShow(await onsale.admin(), reservedShow());
    buyer = await onsale.member('Keyboard Buyer');
  });

  after(async () => {
    await browser?.close();
    await onsale?.close();
  });

  it('when a buyer picks three seats with the arrow keys and Space, holds and confirms, then focus and the live region follow each step', async () => {
    const context = await buyerContext(browser, 'ko', buyer);
    try {
      const page = await context.newPage();
      await page.goto(`${onsale.url}/`);
      await tabTo(page, `[data-show-id="${showId}"] a`);
      await page.keyboard.press('Enter');
      // the show's page: focus on its heading, the tab named after the show
      await page.waitForFunction(`document.activeElement?.tagName === 'H1'`);
      expect(await activeText(page)).to.contain('별빛 오케스트라');
      expect(await page.title()).to.equal('별빛 오케스트라 — 겨울 갈라 · onsale');

      // one tab stop into the map, on the first free seat; the instructions are its description
      await tabTo(page, '[data-seat-id]');
      expect(await focused(page)).to.equal('A-1-1');
      const described = await page.evaluate<string>(
        `document.getElementById(document.activeElement.closest('[role="grid"]').getAttribute('aria-describedby')).textContent`,
      );
      expect(described).to.contain('방향키').and.to.contain('Space').and.to.contain('Home');

      await page.keyboard.press('Space');
      await announces(page, 'A 구역 1열 1번 선택함. 1석, 합계 ₩121,000');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      expect(await focused(page)).to.equal('A-1-3');
      await page.keyboard.press('Space');
      await announces(page, 'A 구역 1열 3번 선택함. 2석, 합계 ₩242,000');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('End');
      expect(await focused(page)).to.equal('A-2-12');
      await page.keyboard.press('Home');
      await page.keyboard.press('Space');
      await announces(page, 'A 구역 2열 1번 선택함. 3석, 합계 ₩363,000');
      expect(await focused(page)).to.equal('A-2-1');
      expect(await page.locator('[aria-pressed="true"]').count()).to.equal(3);
      // the map keeps one tab stop: Tab leaves it for the hold button
      await page.keyboard.press('Tab');
      expect(await page.evaluate<boolean>(`document.activeElement?.closest('[role="grid"]') === null`)).to.equal(true);

      await tabTo(page, '[data-testid="hold"]');
      await page.keyboard.press('Enter');
      await page.getByTestId('countdown').waitFor();
      await page.waitForFunction(`document.activeElement?.id === 'hold-title'`);
      expect(await page.title()).to.equal('좌석을 잡아 두었습니다 · onsale');
      expect(await page.getByTestId('hold-seats').textContent()).to.equal('A-1-1, A-1-3, A-2-1');

      await tabTo(page, '[data-testid="confirm"]');
      await page.keyboard.press('Enter');
      await page.getByTestId('confirmation').waitFor();
      await page.waitForFunction(`document.activeElement?.id === 'hold-title'`);
      expect(await activeId(page)).to.equal('hold-title');
      expect(await activeText(page)).to.equal('예매가 확정되었습니다!');
      expect(await page.title()).to.equal('예매가 확정되었습니다! · onsale');
      await announces(page, '예매가 확정되었습니다!');

      // the language switch keeps focus, and the title follows the language
      await tabTo(page, '[data-testid="lang-switch"]');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Booked!' }).waitFor();
      expect(await page.evaluate<string>(`document.activeElement?.getAttribute('data-testid')`)).to.equal('lang-switch');
      expect(await page.title()).to.equal('Booked! · onsale');
      expect(await announced(page)).to.be.a('string');
    } finally {
      await context.close();
    }
  });

  it('when a buyer on a 390 px phone pans along the widest row, then every seat can be seen, touched and is at least 24 px', async () => {
    const context = await browser.newContext({ locale: 'ko-KR', viewport: PHONE, isMobile: true, hasTouch: true });
    const session = JSON.stringify({ accessToken: buyer.token, expiresAt: Date.now() + 3_600_000 });
    await context.addInitScript({ content: `localStorage.setItem('onsale.session', ${JSON.stringify(session)});` });
    try {
      const page = await context.newPage();
      await page.goto(`${onsale.url}/shows/${showId}`);
      await page.locator('[data-seat-id="B-1-1"]').waitFor();
      await page.getByTestId('pan-hint').waitFor();
      const scroller = page.getByTestId('seat-scroller');
      expect(await scroller.getAttribute('class')).to.contain('more-right');

      const row = await page.locator('[data-seat-id^="B-1-"]').evaluateAll((seats) => seats.map((s) => s.getAttribute('data-seat-id')!));
      expect(row).to.have.length(16);
      for (const id of row) {
        const seat = page.locator(`[data-seat-id="${id}"]`);
        // as far as the buyer pans: the page up to the row, the map sideways to the seat
        await page.evaluate(`document.querySelector('[data-seat-id="${id}"]').scrollIntoView({ block: 'center', inline: 'nearest' })`);
        const box = (await seat.boundingBox())!;
        expect(box.width, id).to.be.at.least(24);
        expect(box.height, id).to.be.at.least(24);
        expect(box.x, id).to.be.at.least(0);
        expect(box.x + box.width, id).to.be.at.most(PHONE.width);
        // nothing (the sticky row label, the edge) lies over the seat's middle
        const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
        const hit = await page.evaluate<string>(
          `document.elementFromPoint(${x}, ${y})?.closest('[data-seat-id]')?.getAttribute('data-seat-id')`,
        );
        expect(hit, id).to.equal(id);
      }
      // at the row's far end, its number is still in view (sticky)
      const label = await page.locator('[data-section="B"] [role="rowheader"]').first().boundingBox();
      const scrollerBox = (await scroller.boundingBox())!;
      expect(label!.x).to.be.within(scrollerBox.x - 1, scrollerBox.x + 20);
      expect(await scroller.getAttribute('class')).to.contain('more-left');

      await page.locator('[data-seat-id="B-1-16"]').tap();
      await page.locator('[data-seat-id="B-1-16"][aria-pressed="true"]').waitFor();
      await page.evaluate(`document.querySelector('[data-section="B"]').scrollIntoView({ block: 'center' })`);
      await snapAsIs(page, '14-seat-map-panned', 'phone');
    } finally {
      await context.close();
    }
  });
});
