import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const DIR = fileURLToPath(new URL('../../../docs/screenshots', import.meta.url));
export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

/**
 * Keeps `docs/screenshots/<name>-desktop.png` and `<name>-phone.png`: what the buyer sees now
 * (the page is resized for the phone shot and back), as test artefacts for the README.
 */
export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  const size = page.viewportSize() ?? DESKTOP;
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: path.join(DIR, `${name}-desktop.png`), fullPage: false, animations: 'disabled', caret: 'hide' });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: path.join(DIR, `${name}-phone.png`), fullPage: false, animations: 'disabled', caret: 'hide' });
  await page.setViewportSize(size);
}

/** Keeps `docs/screenshots/<name>-<size>.png` of the page as it is, scrolled where it is (no resizing). */
export async function snapAsIs(page: Page, name: string, size: 'desktop' | 'phone'): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  await page.screenshot({ path: path.join(DIR, `${name}-${size}.png`), fullPage: false, animations: 'disabled', caret: 'hide' });
}
