import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (`apt-get install chromium`); `npx playwright install` cannot run here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Without these, Chromium tries its own network services and its connections are refused here.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches chromium, or skips the calling suite with a clear message when it is not installed;
 * under CI=true a missing chromium fails instead (`.ci/run` installs it).
 */
export async function launchChromium(context: Mocha.Context, extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    const how = 'install it with `apt-get install chromium` or point CHROMIUM_PATH at a Chromium binary';
    if (process.env.CI === 'true') throw new Error(`chromium is required under CI=true but ${CHROMIUM_PATH} is missing: ${how}`);
    console.warn(`      (skipped: end-to-end tests need chromium, and ${CHROMIUM_PATH} is missing: ${how})`);
    context.skip();
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...ARGS, ...extraArgs] });
}
