/** The correlation id of the work running now (the id of the request that started it), if any. */
export interface Correlation {
  current(): string | undefined;
}

/** For processes and tests with no requests. */
export const noCorrelation: Correlation = { current: () => undefined };
