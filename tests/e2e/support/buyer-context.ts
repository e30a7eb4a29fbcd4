import type { Browser, BrowserContext } from 'playwright-core';
import type { Member } from './onsale.js';
import { DESKTOP } from './screenshots.js';

export type Locale = 'ko' | 'en';

/** A browser in one language, logged in as `member` when given (stored as the app stores them). */
export async function buyerContext(browser: Browser, locale: Locale, member?: Member): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: locale === 'ko' ? 'ko-KR' : 'en-GB', timezoneId: 'Asia/Seoul', viewport: DESKTOP });
  const session = member ? JSON.stringify({ accessToken: member.token, expiresAt: Date.now() + 3_600_000 }) : undefined;
  const login = session ? `localStorage.setItem('onsale.session', ${JSON.stringify(session)});` : '';
  await context.addInitScript({ content: `${login} localStorage.setItem('onsale.locale', '${locale}');` });
  return context;
}
