import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CHROMIUM_PATH } from '../../tests/e2e/support/chromium.js';
import { Onsale, reservedShow } from '../../tests/e2e/support/onsale.js';
import { BUDGETS, lighthouseConfig } from './budgets.js';

/**
 * Lighthouse CI (mobile profile, Debian's chromium) on the buyer pages a visitor reaches without
 * logging in, against the real server (MariaDB + Redis) with a 96-seat show and a 5,000-seat show.
 * Prints a table of scores and exits non-zero when a budget is missed (`npm run lighthouse`;
 * `LIGHTHOUSE_PAGES='5,000' npm run lighthouse` for the pages whose name holds that text only).
 */
const OUT = path.resolve('.lighthouseci');
const noMocha = {
  skip: () => {
    throw new Error('Lighthouse needs MariaDB and Redis (see tests/support/services.ts)');
  },
} as unknown as Mocha.Context;

async function main(): Promise<number> {
  const onsale = await Onsale.start(noMocha);
  try {
    const admin = await onsale.admin();
    const show = await onsale.createShow(admin, reservedShow());
    const big = await onsale.createShow(
      admin,
      reservedShow({
        title: 'Stadium: 5,000 seats',
        seating: { sections: ['N', 'E', 'S', 'W'].map((id) => ({ id, name: id, rows: 25, seatsPerRow: 50, price: 55000 })) },
      }),
    );
    const pages: Record<string, string> = {
      'show list': '/',
      'seat map (96 seats)': `/shows/${show}`,
      'seat map (5,000 seats)': `/shows/${big}`,
      'log-in': '/login',
      'sign-up': '/signup',
    };
    // LIGHTHOUSE_PAGES="5,000" measures only the pages whose name holds that text (a quicker look at one page)
    const only = process.env.LIGHTHOUSE_PAGES;
    if (only) for (const name of Object.keys(pages)) if (!name.includes(only)) delete pages[name];
    const urls = Object.values(pages).map((page) => `${onsale.url}${page}`);
    rmSync(OUT, { recursive: true, force: true });
    const config = path.join(OUT, '..', '.lighthouserc.generated.json');
    writeFileSync(config, JSON.stringify(lighthouseConfig(urls, OUT), null, 2));
    // Asynchronously: the server answering Lighthouse runs in this very process.
    if (!(await lhci('collect', config))) throw new Error('lhci collect failed');
    const passed = await lhci('assert', config);
    printTable(pages, onsale.url);
    rmSync(config, { force: true });
    return passed ? 0 : 1;
  } finally {
    await onsale.close();
  }
}

/** Runs `lhci <command>`, its output passed through; true when it exits 0. */
function lhci(command: string, config: string): Promise<boolean> {
  const child = spawn('npx', ['lhci', command, `--config=${config}`], {
    stdio: 'inherit',
    env: { ...process.env, CHROME_PATH: CHROMIUM_PATH },
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code === 0));
  });
}

function printTable(pages: Record<string, string>, base: string): void {
  const reports = readdirSync(OUT)
    .filter((file) => /^lhr-.*\.json$/.test(file))
    .map((file) => JSON.parse(readFileSync(path.join(OUT, file), 'utf8')));
  const median = (values: number[]) => {
    const sorted = [...values].sort((x, y) => x - y);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  };
  const runs = reports.length / Object.keys(pages).length;
  console.log(
    `\nLighthouse ${reports[0]?.lighthouseVersion ?? ''}, mobile profile, median of ${runs} runs, ${new Date().toISOString().slice(0, 10)}; budgets ${JSON.stringify(BUDGETS)}\n`,
  );
  console.log('| page | performance | accessibility | best practices | SEO | total blocking time |');
  console.log('| --- | --: | --: | --: | --: | --: |');
  for (const [name, page] of Object.entries(pages)) {
    // each figure's median over the page's runs, as the budgets are asserted
    const mine = reports.filter((report) => report.requestedUrl === `${base}${page}`);
    if (mine.length === 0) continue;
    const score = (category: string) => Math.round(median(mine.map((lhr) => (lhr.categories[category]?.score ?? 0) * 100)));
    const tbt = Math.round(median(mine.map((lhr) => lhr.audits['total-blocking-time']?.numericValue ?? 0)));
    console.log(
      `| ${name} | ${score('performance')} | ${score('accessibility')} | ${score('best-practices')} | ${score('seo')} | ${tbt} ms |`,
    );
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
