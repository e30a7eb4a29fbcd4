import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, seriousOrWorse } from './support/axe.js';
import { buyerContext } from './support/buyer-context.js';
import { launchChromium } from './support/chromium.js';
import { Onsale, reservedShow, type Member } from './support/onsale.js';
import { qrVideo } from './support/fake-camera.js';
import { PHONE, snap } from './support/screenshots.js';

describe('the door scanner page /scan: verifies offline, queues, syncs (chromium, MariaDB + Redis)', function () {
  this.timeout(180_000);
  let onsale: Onsale;
  let browser: Browser;
  let door: Member;
  let buyer: Member;
  let showId: string;
  let codes: string[];
  let revokedCode: string;
  let context: BrowserContext;
  let page: Page;

  const verdict = () => page.getByTestId('scan-verdict').textContent();
  const detail = () => page.getByTestId('scan-detail').textContent();
  /** Types a code as a hand scanner does (then Enter) and waits for the answer to it. */
  async function scan(code: string): Promise<void> {
    const before = await page.getByTestId('scan-result').getAttribute('data-at');
    await page.getByTestId('code-input').fill(code);
    await page.getByTestId('code-input').press('Enter');
    await page.waitForFunction(
      `document.querySelector('[data-testid="scan-result"]').getAttribute('data-at') !== ${JSON.stringify(before)}`,
    );
  }

  before(async function () {
    browser = await launchChromium(this);
    onsale = await Onsale.start(this);
    const admin = await onsale.admin();
    showId = await onsale.createShow(admin, reservedShow());
    buyer = await onsale.member('김하늘');
    const other = await onsale.member('Changed their mind');
    door = await onsale.staff(admin, showId);
    const reservationId = await onsale.book(showId, buyer, { seats: ['A-1-1', 'A-1-2', 'A-1-3'] });
    codes = (await onsale.expect('GET', `/api/reservations/${reservationId}/tickets`, 200, { token: buyer.token })).tickets.map(
      (t: { code: string }) => t.code,
    );
    const cancelled = await onsale.book(showId, other, { seats: ['B-1-1'] });
    revokedCode = (await onsale.expect('GET', `/api/reservations/${cancelled}/tickets`, 200, { token: other.token })).tickets[0].code;
    await onsale.expect('DELETE', `/api/reservations/${cancelled}`, 204, { token: other.token });
    await onsale.until(`/api/shows/${showId}/door-list`, door, (list) => list.revokedReservations.includes(cancelled));
    context = await buyerContext(browser, 'en', door);
    page = await context.newPage();
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await onsale?.close();
  });

  it('when staff pick the show and gate and scan a ticket, then it is a big green ADMIT with the seat; again, a red DO NOT ADMIT with where and when', async () => {
    await page.goto(`${onsale.url}/scan`);
    await page.getByTestId('door-show').selectOption(showId);
    await page.getByTestId('door-gate').fill('North 1');
    await page.getByTestId('door-list').waitFor();
    // the service worker keeps the page for a start without the network
    await page.locator('[data-offline-ready="true"]').waitFor();

    await scan(codes[0]!);
    expect(await verdict()).to.equal('ADMIT');
    expect(await page.getByTestId('scan-seat').textContent()).to.equal('A-1-1');
    expect(await page.getByTestId('scan-result').getAttribute('class')).to.contain('scan-ok');
    expect(await page.getByTestId('scan-result').getAttribute('role')).to.equal('status');
    await snap(page, '22-scan-valid');

    await scan(codes[0]!);
    expect(await verdict()).to.equal('DO NOT ADMIT');
    expect(await detail()).to.match(/^Already used: .+, gate North 1$/);
    await snap(page, '23-scan-used');
  });

  it('when the network is cut, then codes are verified on the device (forged, revoked refused), admitted ones queued; back online they sync and a ticket another gate admitted first is shown as a conflict', async () => {
    await context.setOffline(true);
    await page.getByText('Offline: checked on this device').waitFor();

    const forged = codes[1]!.slice(0, -2) + (codes[1]!.endsWith('AA') ? 'BA' : 'AA');
    await scan(forged);
    expect([await verdict(), await detail()]).to.deep.equal(['DO NOT ADMIT', 'Forged or damaged code']);
    await scan(revokedCode);
    expect([await verdict(), await detail()]).to.deep.equal(['DO NOT ADMIT', 'Booking cancelled: the ticket is revoked']);
    await scan('not a ticket');
    expect(await detail()).to.equal('Not a ticket code');

    await scan(codes[1]!);
    expect([await verdict(), await detail()]).to.deep.equal(['ADMIT', 'Admitted offline: sent to the server when the network is back']);
    // the device remembers what it admitted offline
    await scan(codes[1]!);
    expect(await verdict()).to.equal('DO NOT ADMIT');
    expect(await detail()).to.match(/gate North 1$/);

    // Reloaded without a network, the scanner starts from its service worker, with its queue and lists from IndexedDB.
    await page.reload();
    await page.getByTestId('door-queued').waitFor();
    expect(await page.getByTestId('door-queued').textContent()).to.equal('1 admitted, not sent yet');
    expect(await page.getByTestId('door-list').textContent()).to.contain('Lists as of');
    await scan(codes[1]!);
    expect(await detail()).to.match(/gate North 1$/);

    await scan(codes[2]!);
    expect(await verdict()).to.equal('ADMIT');
    expect(await page.getByTestId('door-queued').textContent()).to.equal('2 admitted, not sent yet');
    await snap(page, '24-scan-offline-queue');

    // Meanwhile another gate, online, admits the third ticket first.
    await onsale.expect('POST', '/api/checkins', 201, { token: door.token, body: { code: codes[2], gate: 'South 2', showId } });

    await context.setOffline(false);
    await page.getByTestId('conflict').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('conflict').allTextContents()).to.have.length(1);
    expect(await page.getByTestId('conflict').first().textContent()).to.match(
      /^A-1-3: admitted here at .+\. Already used: .+, gate South 2$/,
    );
    await page.getByTestId('door-queued').waitFor({ state: 'detached' });
    // the green "admitted offline" of the ticket that turned out a conflict is no longer on screen
    expect(await page.getByTestId('scan-seat').count()).to.equal(0);
    const states = await page
      .getByTestId('recent-scan')
      .evaluateAll((items) => items.map((i) => (i as unknown as { dataset: { state: string } }).dataset.state));
    expect(states).to.deep.equal(['conflict', 'synced', 'synced']);

    // The server admitted each ticket once: North 1 twice (one online, one synced), South 2 once.
    const counts = await onsale.until(`/api/shows/${showId}/checkins`, door, (body) => body.checkedIn === 3);
    expect(counts.gates.map((g: { gate: string; checkedIn: number }) => [g.gate, g.checkedIn])).to.deep.equal([
      ['North 1', 2],
      ['South 2', 1],
    ]);
    // and the page shows the whole door's progress
    await page.getByTestId('door-counts').getByText('3 of 3 in').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('door-counts').locator('li').allTextContents()).to.deep.equal(['North 1: 2', 'South 2: 1']);
    await page.getByTestId('door-counts').scrollIntoViewIfNeeded();
    await snap(page, '25-scan-conflict');
  });

  it('when the scanner is read in Korean on a phone, then it is accessible; a member who is not staff is told so', async () => {
    const korean = await buyerContext(browser, 'ko', door);
    const phone = await korean.newPage();
    await phone.setViewportSize(PHONE);
    await phone.goto(`${onsale.url}/scan`);
    await phone.getByTestId('door-show').selectOption(showId);
    await phone.getByTestId('door-gate').fill('East');
    await phone.getByTestId('door-list').waitFor();
    await phone.getByTestId('code-input').fill(codes[0]!);
    await phone.getByTestId('code-input').press('Enter');
    await phone.getByText('이미 입장한 티켓').waitFor();
    expect(seriousOrWorse(await axeViolations(phone))).to.deep.equal([]);
    await snap(phone, '26-scan-korean');
    await korean.close();

    const notStaff = await buyerContext(browser, 'en', buyer);
    const other = await notStaff.newPage();
    await other.goto(`${onsale.url}/scan`);
    expect(await other.getByTestId('staff-only').textContent()).to.contain('door staff');
    await notStaff.close();
  });

  it('when the camera sees a ticket’s QR code, then it is read (jsQR where the browser has no BarcodeDetector) and checked in', async function () {
    const ticket = await onsale.expect('GET', `/api/reservations/${await onsale.book(showId, buyer, { seats: ['A-4-1'] })}/tickets`, 200, {
      token: buyer.token,
    });
    const video = path.join(tmpdir(), `onsale-door-${process.pid}.y4m`);
    qrVideo(video, ticket.tickets[0].code);
    const cameraBrowser = await launchChromium(this, [
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ]);
    try {
      const staff = await buyerContext(cameraBrowser, 'en', door);
      const camera = await staff.newPage();
      await camera.goto(`${onsale.url}/scan`);
      await camera.getByTestId('door-show').selectOption(showId);
      await camera.getByTestId('door-gate').fill('West');
      await camera.getByTestId('door-list').waitFor();
      // Chromium on Linux has no BarcodeDetector, so this is the jsQR path
      expect(await camera.evaluate("'BarcodeDetector' in window")).to.equal(false);
      await camera.getByTestId('camera').click();
      await camera.getByTestId('scan-seat').waitFor({ timeout: 20_000 });
      expect(await camera.getByTestId('scan-verdict').textContent()).to.equal('ADMIT');
      expect(await camera.getByTestId('scan-seat').textContent()).to.equal('A-4-1');
      // held in front of the camera, the ticket is one scan, not a stream of "already used"
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await camera.getByTestId('scan-verdict').textContent()).to.equal('ADMIT');
      expect(await camera.getByTestId('recent-scan').count()).to.equal(1);
      await staff.close();
    } finally {
      await cameraBrowser.close();
    }
  });
});
