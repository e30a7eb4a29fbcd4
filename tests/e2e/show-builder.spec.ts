import { expect } from 'chai';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { axeViolations, seriousOrWorse } from './support/axe.js';
import { bookThroughPages } from './support/book-through-pages.js';
import { buyerContext } from './support/buyer-context.js';
import { launchChromium } from './support/chromium.js';
import { Onsale, type Member } from './support/onsale.js';
import { DESKTOP, PHONE, snap, snapAsIs } from './support/screenshots.js';

/** A `datetime-local` value in Seoul (the browsers' zone: UTC+9, no summer time) `days` from now. */
const seoul = (days: number) => new Date(Date.now() + days * 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 16);

const SECTIONS = [
  { name: 'R석', rows: '4', seats: '10', price: '150000' },
  { name: 'S석', rows: '5', seats: '12', price: '110000' },
  { name: 'A석', rows: '6', seats: '14', price: '70000' },
];
const CAPACITY = 4 * 10 + 5 * 12 + 6 * 14;

describe('the show builder: a 3-section show built in the console, sold in a second browser (chromium, MariaDB + Redis)', function () {
  this.timeout(180_000);
  let onsale: Onsale;
  let browser: Browser;
  let organizer: BrowserContext;
  let page: Page;
  let admin: Member;
  let showId: string;

  before(async function () {
    browser = await launchChromium(this);
    onsale = await Onsale.start(this);
    admin = await onsale.admin();
    organizer = await buyerContext(browser, 'ko', admin);
    page = await organizer.newPage();
  });

  after(async () => {
    await organizer?.close();
    await browser?.close();
    await onsale?.close();
  });

  /** Desktop and phone shots with `part` scrolled into view in each. */
  const snapAt = async (part: Locator, name: string) => {
    for (const [size, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      await page.setViewportSize(viewport);
      await part.scrollIntoViewIfNeeded();
      await page.waitForTimeout(300); // the page redrawn at its new width before the shot
      await snapAsIs(page, name, size);
    }
    await page.setViewportSize(DESKTOP);
  };
  const expectAccessible = async () => {
    const violations = seriousOrWorse(await axeViolations(page));
    expect(
      violations.map((v) => v.id),
      JSON.stringify(violations),
    ).to.deep.equal([]);
  };
  const field = (label: string) => page.locator('.field').filter({ has: page.getByLabel(label, { exact: true }) });

  it('when the admin builds three sections with an aisle and accessible seats, then the show is scheduled as built (a 400 beside each field first)', async () => {
    await page.goto(`${onsale.url}/admin`);
    await page.getByTestId('new-show').click();
    await page.getByRole('heading', { name: '새 공연' }).waitFor();
    await page.getByLabel('제목', { exact: true }).fill('여름밤 현악 사중주');
    await page.getByLabel('공연 시작', { exact: true }).fill(seoul(30));
    await page.getByLabel('판매 시작', { exact: true }).fill(seoul(7));
    await page.getByLabel('1인당 최대 매수', { exact: true }).fill('4');
    await page.getByTestId('add-section').click();
    await page.getByTestId('add-section').click();
    for (const [i, section] of SECTIONS.entries()) {
      const part = page.locator(`[data-section="${i}"]`);
      await part.getByLabel('구역 이름', { exact: true }).fill(section.name);
      await part.getByLabel('열 수', { exact: true }).fill(section.rows);
      await part.getByLabel('열당 좌석 수', { exact: true }).fill(section.seats);
      await part.getByLabel('가격 (KRW)', { exact: true }).fill(section.price);
    }
    const first = page.locator('[data-section="0"]');
    await first.locator('[data-aisle-after="5"]').click();
    await first.locator('[data-key="4-1"]').click();
    // the next seat by keyboard: an arrow moves, Enter twice makes it a companion seat
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    expect(await first.locator('[data-key="4-2"]').getAttribute('aria-label')).to.equal('4열 2번: 동반자석');
    expect(await first.locator('[data-aisle-after="5"]').getAttribute('aria-pressed')).to.equal('true');
    await expectAccessible();
    await snapAt(first.locator('.layout-preview'), '39-builder-new');

    // the venue left empty and a section of 0 rows: the API's 400 beside each field, the first takes the focus
    const third = page.locator('[data-section="2"]');
    await third.getByLabel('열 수', { exact: true }).fill('0');
    await page.getByTestId('save-show').click();
    await field('장소').locator('.field-error').waitFor();
    await third
      .locator('.field-invalid')
      .filter({ has: page.getByLabel('열 수', { exact: true }) })
      .locator('.field-error')
      .waitFor();
    expect(await page.locator('.field-error').count()).to.equal(2);
    expect(await page.evaluate('document.activeElement.name')).to.equal('venue');
    await page.getByLabel('장소', { exact: true }).fill('통영국제음악당');
    await third.getByLabel('열 수', { exact: true }).fill('6');
    await page.getByTestId('save-show').click();
    await page.waitForURL(/\/admin\/shows\/(?!new$)[^/]+$/);
    showId = decodeURIComponent(page.url().split('/').pop()!);
    await page.getByTestId('state').getByText('판매 예정').waitFor();

    const show = (await onsale.expect('GET', '/api/admin/shows', 200, { token: admin.token })).find((s: any) => s.id === showId);
    expect(show.capacity).to.equal(CAPACITY);
    expect(show.seating.sections.map((s: any) => [s.id, s.name, s.rows, s.seatsPerRow, s.price])).to.deep.equal([
      ['A', 'R석', 4, 10, 150000],
      ['B', 'S석', 5, 12, 110000],
      ['C', 'A석', 6, 14, 70000],
    ]);
    expect(show.seating.sections[0]).to.deep.include({ aisles: [5], wheelchair: ['4-1'], companions: ['4-2'] });
  });

  it('when the admin opens the sale and a buyer books two seats in another browser, then the live dashboard shows them within two seconds', async () => {
    await page.getByRole('button', { name: '지금 판매 시작' }).click();
    await page.getByTestId('state').getByText('판매 중').waitFor();
    await page.goto(`${onsale.url}/admin/shows/${showId}/live`);
    const sold = page.getByTestId('live-sold');
    await sold.getByText(`0 / ${CAPACITY}`).waitFor();
    const buyer = await buyerContext(browser, 'ko', await onsale.member('박서연'));
    await bookThroughPages(await buyer.newPage(), onsale.url, showId, ['B-2-3', 'B-2-4']);
    const booked = Date.now();
    await sold.getByText(`2 / ${CAPACITY}`).waitFor({ timeout: 2000 });
    expect(Date.now() - booked).to.be.below(2000);
    await buyer.close();
  });

  it('when the admin lowers the per-member limit after sales opened, then the 409 is shown beside that field', async () => {
    await page.goto(`${onsale.url}/admin/shows/${showId}`);
    await page.getByTestId('edit-show').click();
    await page.getByTestId('show-builder').waitFor();
    expect(await page.getByLabel('제목', { exact: true }).isDisabled()).to.equal(true);
    expect(await page.locator('[data-section="0"] button.layout-seat').count()).to.equal(0);
    await page.getByLabel('1인당 최대 매수', { exact: true }).fill('2');
    await expectAccessible();
    await snapAt(page.getByTestId('show-builder'), '40-builder-edit');
    await page.getByTestId('save-show').click();
    const limit = field('1인당 최대 매수');
    await limit.locator('.field-error').getByText('판매가 시작되어 1인당 매수는 늘리기만 할 수 있습니다', { exact: false }).waitFor();
    expect(await page.getByLabel('1인당 최대 매수', { exact: true }).getAttribute('aria-invalid')).to.equal('true');
    await expectAccessible();
    await snapAt(limit, '41-builder-409');
    // a higher limit is safe: saved, back on the show's page
    await page.getByLabel('1인당 최대 매수', { exact: true }).fill('6');
    await page.getByTestId('save-show').click();
    await page.waitForURL(`${onsale.url}/admin/shows/${showId}`);
    const { maxTicketsPerMember } = await onsale.expect('GET', `/api/shows/${showId}`, 200);
    expect(maxTicketsPerMember).to.equal(6);
  });

  it('when the admin reads English, then the builder and its preview speak English', async () => {
    const english = await buyerContext(browser, 'en', admin);
    const englishPage = await english.newPage();
    await englishPage.goto(`${onsale.url}/admin/shows/new`);
    await englishPage.getByRole('heading', { name: 'New show' }).waitFor();
    await englishPage.locator('[data-aisle-after="4"]').click();
    expect(await englishPage.locator('[data-aisle-after="4"]').getAttribute('aria-label')).to.equal('Aisle after seat 4');
    await englishPage.locator('[data-key="1-5"]').click();
    expect(await englishPage.locator('[data-key="1-5"]').getAttribute('aria-label')).to.equal('Row 1, seat 5: wheelchair place');
    await englishPage.getByLabel('Title', { exact: true }).fill('Autumn Quartet');
    await englishPage.evaluate('window.scrollTo(0, 0)');
    await snap(englishPage, '42-builder-english');
    await english.close();
  });

  it('when a console page is on a phone, then every link of the header is on the screen and nothing runs off sideways', async () => {
    await page.setViewportSize(PHONE);
    const outside = `(() => {
      const width = document.documentElement.clientWidth;
      const off = [...document.querySelectorAll('.site-header a, .site-header button')]
        .filter((e) => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > width + 0.5; })
        .map((e) => e.textContent.trim());
      return document.documentElement.scrollWidth > width ? [...off, 'page wider than the screen'] : off;
    })()`;
    for (const path of [
      '/admin',
      `/admin/shows/${showId}`,
      `/admin/shows/${showId}/live`,
      '/admin/shows/new',
      `/admin/shows/${showId}/edit`,
    ]) {
      await page.goto(`${onsale.url}${path}`);
      await page.locator('h1').first().waitFor();
      await page.locator('.capacity-bar, [data-testid="live-figures"], [data-testid="show-builder"]').first().waitFor();
      expect(await page.evaluate<string[]>(outside), path).to.deep.equal([]);
    }
    await page.setViewportSize(DESKTOP);
  });
});
