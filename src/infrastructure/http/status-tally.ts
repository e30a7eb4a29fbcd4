/** 4xx and 5xx answered so far: by this process, or (ClusterErrorTotals) by every process. */
export interface ErrorTotals {
  clientErrors: number;
  serverErrors: number;
}

const answered: ErrorTotals = { clientErrors: 0, serverErrors: 0 };

/** Counts one answer of this process (the HTTP metrics middleware calls it for every request). */
export function tallyStatus(status: number): void {
  if (status >= 500) answered.serverErrors++;
  else if (status >= 400) answered.clientErrors++;
}

/** This process's 4xx and 5xx since it started. */
export function answeredErrors(): ErrorTotals {
  return { ...answered };
}
