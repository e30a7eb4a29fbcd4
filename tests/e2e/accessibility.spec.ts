import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, seriousOrWorse, type Violation } from './support/axe.js';
import { buyerContext, type Locale } from './support/buyer-context.js';
import { launchChromium } from './support/chromium.js';
import { Onsale, reservedShow, type Member } from './support/onsale.js';
import { DESKTOP, PHONE } from './support/screenshots.js';

const LOCALES: Locale[] = ['ko', 'en'];
const SIZES = { desktop: DESKTOP, phone: PHONE };

describe('the web front end: axe-core on every page, desktop and phone, Korean and English (chromium, MariaDB + Redis)', function () {
  this.timeout(240_000);
  let onsale: Onsale;
  let browser: Browser;
  let buyer: Member;
  let showId: string;
  let admin: Member;
  const counts: string[] = [];

  before(async function () {
    browser = await launchChromium(this);
    onsale = await Onsale.start(this);
    admin = await onsale.admin();
    showId = await onsale.createShow(admin, reservedShow());
    buyer = await onsale.member('접근성 점검');
    // something to list on "my reservations"
    const hold = await onsale.expect('POST', `/api/shows/${showId}/holds`, 201, { token: buyer.token, body: { seats: ['B-3-16'] } });
    await onsale.expect('POST', `/api/holds/${hold.holdId}/confirm`, 201, { token: buyer.token });
  });

  after(async () => {
    if (counts.length > 0) console.log(`      axe violations (all impacts) per page and size:\n${counts.join('\n')}`);
    await browser?.close();
    await onsale?.close();
  });

  /** Scans the page at both sizes; none serious or critical allowed. */
  async function scan(page: Page, name: string, locale: Locale): Promise<void> {
    for (const [size, viewport] of Object.entries(SIZES)) {
      await page.setViewportSize(viewport);
      const violations: Violation[] = await axeViolations(page);
      counts.push(
        `        ${name} ${locale} ${size}: ${violations.length} (${violations.map((v) => `${v.id}/${v.impact}`).join(', ') || 'none'})`,
      );
      expect(seriousOrWorse(violations), `${name}, ${locale}, ${size}`).to.deep.equal([]);
    }
    await page.setViewportSize(DESKTOP);
  }

  for (const locale of LOCALES) {
    it(`when the buyer goes through every page in ${locale}, then axe finds nothing serious or critical`, async () => {
      const context = await buyerContext(browser, locale, buyer);
      const visitor = await buyerContext(browser, locale);
      try {
        const page = await context.newPage();
        await page.goto(`${onsale.url}/`);
        await page.locator(`[data-show-id="${showId}"]`).waitFor();
        await scan(page, 'show list', locale);

        await page.goto(`${onsale.url}/shows/${showId}`);
        const seat = locale === 'ko' ? 'A-1-1' : 'A-1-2';
        await page.locator(`[data-seat-id="${seat}"]`).click();
        await page.locator(`[data-seat-id="${seat}"][aria-pressed="true"]`).waitFor();
        await scan(page, 'seat map', locale);

        await page.getByTestId('hold').click();
        await page.getByTestId('countdown').waitFor();
        await scan(page, 'hold', locale);
        await page.getByTestId('release').click();
        await page.waitForURL(`${onsale.url}/shows/${showId}`);

        await page.getByTestId('best-find').click();
        await page.getByTestId('best-hold').waitFor();
        await scan(page, 'best available held', locale);
        await page.getByTestId('best-other').click();
        await page.getByTestId('best-available').waitFor();

        await page.goto(`${onsale.url}/me/reservations`);
        await page.getByTestId('reservation-seats').first().waitFor();
        await scan(page, 'reservations', locale);

        // One place, just taken (a lease nobody renews runs out): whoever joins next waits.
        const queued = await onsale.createShow(
          admin,
          reservedShow({ title: 'Queue', queue: { enabled: true, admitPerSecond: 1, maxActive: 1 } }),
        );
        await onsale.joinQueue(queued, await onsale.member('First'));
        await page.goto(`${onsale.url}/shows/${queued}/queue`);
        await page.getByTestId('queue-waiting').waitFor();
        await scan(page, 'waiting room', locale);

        const loggedOut = await visitor.newPage();
        await loggedOut.goto(`${onsale.url}/login`);
        await loggedOut.locator('main h1').waitFor();
        await scan(loggedOut, 'log-in', locale);
        await loggedOut.goto(`${onsale.url}/signup`);
        await loggedOut.locator('main h1').waitFor();
        await scan(loggedOut, 'sign-up', locale);
        await loggedOut.goto(`${onsale.url}/shows/${showId}`);
        await loggedOut.locator('[data-seat-id="A-1-1"]').waitFor();
        await scan(loggedOut, 'seat map (logged out)', locale);
      } finally {
        await context.close();
        await visitor.close();
      }
    });
  }
});
