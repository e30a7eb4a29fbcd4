/** What the buyer pages must score on Lighthouse's mobile profile (issue #25). */
export const BUDGETS = { performance: 0.95, accessibility: 1, 'best-practices': 1, 'total-blocking-time': 200 };

// Without these, Chromium tries its own network services and its connections are refused here.
const CHROME_FLAGS =
  '--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync';

// Each figure's median over the runs is what counts (the machine is shared: runs vary).
const MEDIAN = 'median';

/** The lhci configuration: three runs per page, results kept as files. */
export function lighthouseConfig(urls: string[], outputDir: string): unknown {
  return {
    ci: {
      collect: { url: urls, numberOfRuns: 3, settings: { chromeFlags: CHROME_FLAGS } },
      assert: {
        assertions: {
          'categories:performance': ['error', { minScore: BUDGETS.performance, aggregationMethod: MEDIAN }],
          'categories:accessibility': ['error', { minScore: BUDGETS.accessibility, aggregationMethod: MEDIAN }],
          'categories:best-practices': ['error', { minScore: BUDGETS['best-practices'], aggregationMethod: MEDIAN }],
          'total-blocking-time': ['error', { maxNumericValue: BUDGETS['total-blocking-time'], aggregationMethod: MEDIAN }],
        },
      },
      upload: { target: 'filesystem', outputDir },
    },
  };
}
