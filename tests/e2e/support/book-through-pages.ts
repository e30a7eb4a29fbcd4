import type { Page } from 'playwright-core';

/**
 * A logged-in buyer books hand-picked seats through the buyer's pages (seat map, hold, confirm) of a
 * show without a waiting room; resolves once the confirmation is shown.
 */
export async function bookThroughPages(page: Page, url: string, showId: string, seats: string[]): Promise<void> {
  await page.goto(`${url}/shows/${showId}`);
  for (const seat of seats) await page.locator(`[data-seat-id="${seat}"][data-status="available"]`).click();
  await page.getByTestId('hold').first().click();
  await page.getByTestId('confirm').click();
  await page.getByTestId('confirmation').waitFor();
}
